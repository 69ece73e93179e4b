"""The name index: runs of capitalized words read as people, organizations, roles and mentions."""

import pytest

from review.extraction.names import CAPITALIZED_RUN, NAME_RUN, NameIndex
from tests.review.extraction.helpers import claims_of, find


@pytest.mark.parametrize("text", [
    "Mr.Smith met Dr. Jo Lee and Mrs. Ann O'Neil’s aide in St. Louis.",
    "U.S. Treasury Secretary James A. Baker met J. Smith of A.B.C. Corp.",
    "Capt. Ahab, Prof. Higgins and Gen. Lt. Col. Jones spoke; Sen. Capt Jr. Sr. Gov. Rep. did not.",
    "Jean-Claude van Damme and Leonardo da Vinci met Bin Laden and ibn Saud in De Beers' offices.",
    "The e-Commerce Group (ECG) and Economic Commission for Latin America (ECLAC) said.",
    "Sales rose.\nShares fell\n\tMonday. A. B. C. D.E. Xx-Yy Zz'Q 'Quoted' (Acme) -Dash",
])
def test_the_capitals_only_scan_finds_the_same_runs_when_no_name_starts_with_al_or_el(text):
    assert [m.span() for m in CAPITALIZED_RUN.finditer(text)] == [m.span() for m in NAME_RUN.finditer(text)]


def test_a_name_starting_with_al_or_el_is_indexed():
    index = NameIndex("Talks ended. Oil minister al-Sabah said output rose. Analyst el-Sayed agreed.")
    assert index.titled == {"al-Sabah", "el-Sayed"}
    assert not list(CAPITALIZED_RUN.finditer("al-Sabah"))  # why such a text takes the full scan


def test_possessives_and_titles_are_read_off_the_name():
    index = NameIndex("Chancellor Helmut Kohl's government met. Prime Minister Margaret Thatcher’s aide spoke.")
    assert index.fullest_person("Kohl") == "Helmut Kohl"
    assert index.fullest_person("Thatcher") == "Margaret Thatcher"
    assert index.roles["chancellor"] == "Helmut Kohl"
    assert index.roles["prime minister"] == index.roles["minister"] == "Margaret Thatcher"
    assert index.titled == {"Helmut Kohl", "Margaret Thatcher"}


def test_an_acronym_in_parentheses_names_the_words_it_spells():
    index = NameIndex("The Economic Commission for Latin America and the Caribbean (ECLAC) met on Monday.")
    assert index.fullest_org("ECLAC") == "Economic Commission for Latin America and the Caribbean"
    assert NameIndex("The Economic Commission for Latin America and the Caribbean met.").fullest_org("ECLAC") is None


def test_he_is_the_first_person_named_in_the_sentence_before_titled_lone_names_included():
    claims = claims_of("Analyst Lee and economist Anne Marie Dow met on Monday. "
                       "He said prices would rise 5 pct in 1987.")
    assert find(claims, "5 pct").claimant == {"name": "Lee", "kind": "person"}
    index = NameIndex("Prices fell. Anne Marie Dow and analyst Lee met. Talks ended.")
    assert index.person_before(2, [0, 13, 49]) == "Anne Marie Dow"
    assert index.person_before(0, [0, 13, 49]) is None
