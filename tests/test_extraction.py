"""Claim extraction: sentences, attribution, claimants, quantities, types, and the extract commands."""

import json

import pytest

from review import documents
from review.extraction import dates, extract_claims, quantities, segment
from tests.conftest import shared_path

EVERYTHING = 0.0  # a threshold that keeps every factual candidate, for tests of the rules alone


def claims_of(text: str, source: str | None = "Wire", threshold: float | None = EVERYTHING) -> list:
    """Extract claims from a test text, by default keeping every candidate the rules let through."""
    return extract_claims(text, source=source, threshold=threshold)


def find(claims, fragment: str):
    """Return the one claim whose text contains fragment (case-insensitive)."""
    matches = [c for c in claims if fragment.lower() in c.text.lower()]
    assert len(matches) == 1, (fragment, [c.text for c in claims])
    return matches[0]


def absent(claims, fragment: str) -> bool:
    """Tell whether no claim's text contains fragment (case-insensitive)."""
    return all(fragment.lower() not in c.text.lower() for c in claims)


# -- sentences -------------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """Return just the sentence texts of segment(text)."""
    return [sentence for _, _, sentence in segment(text)]


def test_segment_keeps_abbreviations_numbers_and_initials_inside_sentences():
    text = ("The U.S. Treasury sold 2,500 bonds at 3.5 pct on Jan. 5, Mr. Smith said. "
            "John F. Kennedy Airport handled 1.2 million passengers.")
    assert sentences(text) == [
        "The U.S. Treasury sold 2,500 bonds at 3.5 pct on Jan. 5, Mr. Smith said.",
        "John F. Kennedy Airport handled 1.2 million passengers.",
    ]


def test_segment_ends_a_sentence_at_us_when_a_new_one_starts():
    assert sentences("He was born in the U.S. The family moved to Ohio.") == [
        "He was born in the U.S.", "The family moved to Ohio."]


def test_segment_keeps_a_quotation_that_spans_sentences_together():
    text = "“We will rebuild. We will not leave,” the mayor said. Then she left."
    assert sentences(text) == ["“We will rebuild. We will not leave,” the mayor said.", "Then she left."]


def test_segment_offsets_point_into_the_text():
    text = "First line here.\n\n  Second one, with “a quote.” Third one?"
    for start, end, sentence in segment(text):
        assert text[start:end] == sentence
    assert sentences(text) == ["First line here.", "Second one, with “a quote.”", "Third one?"]


def test_segment_reads_hard_wrapped_wire_copy():
    text = ("The company said it would cut\n2,500 jobs at its U.S.\nplants next year.\n"
            "    It said sales fell 12 pct\nin the quarter.\n Reuter\n")
    assert sentences(text) == [
        "The company said it would cut\n2,500 jobs at its U.S.\nplants next year.",
        "It said sales fell 12 pct\nin the quarter.",
        "Reuter",
    ]


def test_segment_treats_single_line_breaks_as_paragraphs_in_unwrapped_text():
    text = "A headline without a stop\nThe first paragraph is a long sentence about something that happened today."
    assert sentences(text)[0] == "A headline without a stop"


# -- attribution and claim text --------------------------------------------------------------------


@pytest.mark.parametrize("sentence, claim, claimant", [
    ("Syrian media reports have claimed that government forces killed 2,500 militants.",
     "Government forces killed 2,500 militants.", "Syrian media"),
    ("Health Minister Anna Kowalski said on Monday that the hospital cost 40 million euros.",
     "The hospital cost 40 million euros.", "Anna Kowalski"),
    ("The hospital cost 40 million euros, Health Minister Anna Kowalski said on Monday.",
     "The hospital cost 40 million euros.", "Anna Kowalski"),
    ("“The hospital cost 40 million euros,” said Anna Kowalski, the health minister.",
     "The hospital cost 40 million euros.", "Anna Kowalski"),
    ("According to the regional audit office, the hospital cost 40 million euros.",
     "The hospital cost 40 million euros.", "Regional audit office"),
    ("The hospital cost 40 million euros, according to the regional audit office.",
     "The hospital cost 40 million euros.", "Regional audit office"),
    ("Acme Corp told reporters on Tuesday that it had hired 300 engineers.",
     "Acme Corp had hired 300 engineers.", "Acme Corp"),
])
def test_attribution_is_stripped_from_the_claim(sentence, claim, claimant):
    [found] = claims_of(sentence)
    assert found.text == claim
    assert found.claimant["name"] == claimant
    assert found.sentence == sentence


def test_amid_reports_that_is_a_claim_of_its_own():
    claims = claims_of("The minister vowed to “punish the thieves,” amid reports that the ministry lost 3 million "
                       "euros.")
    assert [c.text for c in claims] == ["The minister vowed to “punish the thieves.”",
                                        "The ministry lost 3 million euros."]
    assert claims[0].claimant == {"name": "Wire", "kind": "media"}
    assert claims[1].claimant == {"name": "Reports", "kind": "unnamed source"}


def test_one_speaker_making_two_claims_gives_two_claims():
    claims = claims_of("Lavrov said the offensive was planned abroad, adding that 300 fighters crossed the border.")
    assert [c.text for c in claims] == ["The offensive was planned abroad.", "300 fighters crossed the border."]
    assert {c.claimant["name"] for c in claims} == {"Lavrov"}


def test_it_is_estimated_names_no_one_so_the_outlet_carries_the_claim():
    [claim] = claims_of("It is estimated that the trial will cost the county $4m.")
    assert claim.text == "The trial will cost the county $4m."
    assert claim.claimant == {"name": "Wire", "kind": "media"}


def test_a_quotation_continued_in_the_next_paragraph_keeps_its_speaker():
    text = ('Coach Maria Lopez said: "We won 12 of our 15 games this season.\n\n'
            '"The club sold 40,000 season tickets, a record."')
    claims = claims_of(text)
    assert [c.claimant["name"] for c in claims] == ["Maria Lopez", "Maria Lopez"]
    assert claims[1].text == "The club sold 40,000 season tickets, a record."


# -- claimants -------------------------------------------------------------------------------------

STORY = (
    "Riverton Mayor Joanna Kessler opened the new bridge on Saturday.\n"
    "Kessler said the bridge cost 12 million dollars, half the price of the old plan.\n"
    "Opposition councillor Tom Reed disputed the figure at a council meeting.\n"
    "He said the final bill had risen to 19 million dollars.\n"
    "Harbor Steel Corp, which built the bridge, said it had employed 240 local workers.\n"
    "The company said the work finished two months early.\n"
    "Local officials said traffic on the old crossing fell by 30% in the first week.\n"
    "The Riverton Herald reported that the bridge had been approved in 2019.\n"
    "The city council approved a new budget in March.\n"
)


def test_claimants_resolve_to_the_fullest_name_pronouns_and_the_company():
    claims = claims_of(STORY, source="Riverton Gazette")
    assert find(claims, "cost 12 million").claimant == {"name": "Joanna Kessler", "kind": "person"}
    assert find(claims, "risen to 19 million").claimant == {"name": "Tom Reed", "kind": "person"}
    assert find(claims, "240 local workers").claimant == {"name": "Harbor Steel Corp", "kind": "organization"}
    assert find(claims, "two months early").claimant == {"name": "Harbor Steel Corp", "kind": "organization"}


def test_claimant_kinds_and_the_article_voice():
    claims = claims_of(STORY, source="Riverton Gazette")
    assert find(claims, "traffic on the old crossing").claimant == {"name": "Local officials",
                                                                    "kind": "unnamed source"}
    assert find(claims, "approved in 2019").claimant == {"name": "Riverton Herald", "kind": "media"}
    assert find(claims, "new budget in March").claimant == {"name": "Riverton Gazette", "kind": "media"}


def test_a_claim_that_starts_with_it_names_the_organization():
    claim = find(claims_of(STORY), "240 local workers")
    assert claim.text == "Harbor Steel Corp had employed 240 local workers."


@pytest.mark.parametrize("text, claim, claimant", [
    ("Northern Ireland runner James McIlroy won in Erfurt. McIlroy now claims he is in his best shape since 1998.",
     "James McIlroy is in his best shape since 1998.", "James McIlroy"),
    ("Sergey Lavrov said his country had delivered 300 tonnes of aid in 2016.",
     "Sergey Lavrov's country had delivered 300 tonnes of aid in 2016.", "Sergey Lavrov"),
    ("Lavrov said on Monday that he had met 12 ministers in Geneva.",  # one bare surname, a person by "he"
     "Lavrov had met 12 ministers in Geneva.", "Lavrov"),
])
def test_a_claim_that_starts_with_he_or_his_names_the_person(text, claim, claimant):
    found = find(claims_of(text), claim[-20:])
    assert found.text == claim
    assert found.claimant == {"name": claimant, "kind": "person"}


@pytest.mark.parametrize("text, claimant", [
    ("Senators Jake Garn and Richard Shelby met on Monday. Senators Garn, Shelby and Heinz said the bill would "
     "cost 3 billion dlrs in 1988.", {"name": "Jake Garn, Richard Shelby and Heinz", "kind": "person"}),
    ("Treasury Secretary James Baker and Fed chairman Paul Volcker said the dollar fell 5 pct in 1986.",
     {"name": "James Baker and Paul Volcker", "kind": "person"}),
    ("Brazil and Argentina said they had signed a 500 mln dlr trade deal in 1986.",
     {"name": "Brazil and Argentina", "kind": "organization"}),
    # Names with "and" inside stay whole: a company, an international body, a committee chairman.
    ("Procter and Gamble said it would cut 5,000 jobs in 1988.", {"name": "Procter and Gamble", "kind": "organization"}),
    ("The Organisation for Economic Cooperation and Development said output grew 3 pct in 1986.",
     {"name": "Organisation for Economic Cooperation and Development", "kind": "organization"}),
    ("House Ways and Means Committee Chairman Dan Rostenkowski said taxes would rise 10 pct in 1988.",
     {"name": "Dan Rostenkowski", "kind": "person"}),
])
def test_a_list_of_speakers_is_named_in_full(text, claimant):
    [claim] = [c for c in claims_of(text) if c.claimant["kind"] != "media"]
    assert claim.claimant == claimant


def test_they_of_a_list_of_speakers_is_replaced_by_their_names():
    found = find(claims_of("Brazil and Argentina said they had signed a 500 mln dlr trade deal in 1986."), "500 mln")
    assert found.text == "Brazil and Argentina had signed a 500 mln dlr trade deal in 1986."


@pytest.mark.parametrize("text, claimant", [
    ("Figures gathered by Continental Research shows that 36% of British camera phone users have never sent a "
     "multimedia message, up from 7% in 2003.", {"name": "Continental Research", "kind": "organization"}),
    ("A survey by ICM Research found 14% of people aged 18 to 34 never voted in 2001.",
     {"name": "ICM Research", "kind": "organization"}),
    ("The UK's biggest mortgage lender said prices rose 15.1% over 2004.",
     {"name": "UK's biggest mortgage lender", "kind": "organization"}),
    ("Chancellor Gordon Brown spoke in Gateshead. Laying into the Conservatives' record in government he said: "
     "\"Britain had 10% inflation and 15% interest rates in 1990.\"", {"name": "Gordon Brown", "kind": "person"}),
])
def test_the_speaker_behind_research_descriptions_and_participial_phrases(text, claimant):
    claim = find(claims_of(text, source="BBC"), "%")
    assert claim.claimant == claimant


def test_a_quotation_keeps_its_own_he():
    found = find(claims_of('"He took 2 million dollars from the fund in 2019," Senator Joan Avery said.'),
                 "2 million dollars")
    assert found.text.startswith("He took")
    assert found.claimant == {"name": "Joan Avery", "kind": "person"}


def test_without_a_source_the_article_voice_has_no_claimant():
    [claim] = claims_of("The city council approved a budget of 4 million dollars in March.", source=None)
    assert claim.claimant is None


# -- quantities and dates --------------------------------------------------------------------------


@pytest.mark.parametrize("text, value, unit, kind", [
    ("forces neutralized a total of 2,500 terrorists", 2500, "terrorists", "count"),
    ("profits jumped 76% in the quarter", 76, "percent", "percent"),
    ("sales rose 12 pct", 12, "percent", "percent"),
    ("a profit of $1.13bn last year", 1_130_000_000, "USD", "money"),
    ("the plan costs 1.2 billion euros", 1_200_000_000, "EUR", "money"),
    ("about 50 mln dlrs in aid", 50_000_000, "USD", "money"),
    ("at 20.625 dlrs per share", 20.625, "USD per share", "money"),
    ("the city has 1.2 billion residents", 1_200_000_000, "residents", "count"),
    ("it recruited 300 armed militants", 300, "armed militants", "count"),
])
def test_quantities_are_parsed_with_what_they_count(text, value, unit, kind):
    [quantity] = quantities(text)
    assert (quantity["value"], quantity["unit"], quantity["kind"]) == (value, unit, kind)


def test_years_and_calendar_days_are_dates_not_quantities():
    text = "In 2015, on Feb 26, the group signed a deal worth $5m, and met again on 9 January 2016."
    assert [q["value"] for q in quantities(text)] == [5_000_000]
    assert dates(text) == ["2015", "Feb 26", "9 January 2016"]


def test_a_range_shares_its_unit():
    assert [(q["value"], q["unit"]) for q in quantities("prices rose to 340 to 350 cruzados")] == [
        (340, "BRC"), (350, "BRC")]


# -- claim types and what is not a claim -----------------------------------------------------------


@pytest.mark.parametrize("sentence, claim_type", [
    ("Unemployment fell to 4.1% last month, the statistics office said.", "statistic"),
    ("“We have never lost a case,” the lawyer Maria Lopez said.", "quote"),
    ("The minister said the bridge was designed by a foreign firm.", "attribution"),
    ("The bridge collapsed on Saturday morning during the storm.", "event"),
    ("The river flooded the valley because the dam was opened.", "causal"),
    ("The new line will open to passengers next year.", "prediction"),
])
def test_claim_types(sentence, claim_type):
    [claim] = claims_of(sentence)
    assert claim.claim_type == claim_type


@pytest.mark.parametrize("sentence", [
    "The use of force to achieve political goals is unacceptable, the minister said.",
    "“We are absolutely convinced this is the right path,” the minister said.",
    "The government should resign at once.",
    "Is the bridge really worth the money?",
    "The bridge might perhaps open later.",
    "I think the council is wrong.",
])
def test_opinions_questions_and_hedges_are_not_claims(sentence):
    assert claims_of(sentence) == []


def test_a_claim_is_not_repeated_within_a_document():
    text = "The bridge cost 12 million dollars.\n\nHowever, the bridge cost 12 million dollars."
    assert len([c for c in claims_of(text) if "12 million" in c.text]) == 1


# -- the seed article and a few real news stories --------------------------------------------------


@pytest.fixture(scope="module")
def seed_claims():
    text = shared_path("corpus", "hts-offensive-lavrov.txt").read_text(encoding="utf-8")
    return extract_claims(text, source="RT")


def test_seed_article_statistic_from_syrian_media(seed_claims):
    claim = find(seed_claims, "2,500 terrorists")
    assert claim.claimant == {"name": "Syrian media", "kind": "media"}
    assert claim.claim_type == "statistic"
    assert [(q["value"], q["unit"]) for q in claim.quantities] == [(2500, "terrorists")]
    assert not claim.text.lower().startswith("syrian media")


def test_seed_article_training_claim_from_media_reports(seed_claims):
    claim = find(seed_claims, "training from Ukrainian military intelligence")
    assert claim.text == "Militants received training from Ukrainian military intelligence."
    assert claim.claimant == {"name": "Media reports", "kind": "media"}
    assert claim.claim_type == "attribution"


def test_seed_article_lavrov_claims_us_and_uk_support(seed_claims):
    claim = find(seed_claims, "supported by the US and the UK")
    assert claim.text == "The HTS offensive could be supported by the US and the UK."
    assert claim.claimant == {"name": "Sergey Lavrov", "kind": "person"}


def test_seed_article_background_events_in_the_outlets_voice(seed_claims):
    intervention = find(seed_claims, "Russia intervened in the hostilities at the request of Damascus")
    agreement = find(seed_claims, "signed an agreement in 2017")
    for claim in (intervention, agreement):
        assert claim.claimant == {"name": "RT", "kind": "media"}
        assert claim.claim_type == "event"
    assert intervention.dates == ["2015"] and agreement.dates == ["2017"]


def test_seed_article_opinions_are_not_claims(seed_claims):
    assert absent(seed_claims, "unacceptable")
    assert absent(seed_claims, "convinced")
    text = shared_path("corpus", "hts-offensive-lavrov.txt").read_text(encoding="utf-8")
    for claim in seed_claims:
        assert text[claim.start:claim.end] == claim.sentence


def news_story(filename: str, key: str, value) -> dict:
    """Return one record of a shared news file, parsing only the line that holds it."""
    marker = json.dumps({key: value})[1:-1]
    with shared_path("data", "news", filename).open(encoding="utf-8") as lines:
        for line in lines:
            if marker in line and json.loads(line)[key] == value:
                return json.loads(line)
    pytest.fail(f"{filename} has no record {key}={value}")


def test_bbc_company_results_statistics_and_the_company_as_claimant():
    story = news_story("bbc_news.jsonl", "id", "business/001")  # Time Warner results
    claims = extract_claims(story["body"], source="BBC News")
    owns = find(claims, "8% of search-engine Google")
    assert owns.text == "Time Warner now owns 8% of search-engine Google."
    assert owns.claimant == {"name": "Time Warner", "kind": "organization"}
    assert owns.claim_type == "statistic"
    assert [(q["value"], q["unit"]) for q in owns.quantities] == [(8, "percent")]
    profit = find(claims, "jumped 76%")
    assert profit.claimant == {"name": "BBC News", "kind": "media"}
    assert (1_130_000_000, "USD") in [(q["value"], q["unit"]) for q in profit.quantities]
    assert find(claims, "unable to estimate").claimant == {"name": "Time Warner", "kind": "organization"}
    assert absent(claims, "Our financial performance was strong")


def test_bbc_politics_people_pronouns_and_quoted_opinions():
    story = news_story("bbc_news.jsonl", "id", "politics/149")  # Blair returns from peace mission
    claims = extract_claims(story["body"], source="BBC News")
    roadmap = find(claims, "committed to the internationally-agreed roadmap")
    assert roadmap.claimant == {"name": "Tony Blair", "kind": "person"}  # "He argued that ..."
    assert find(claims, "the slightest step").claimant == {"name": "Ariel Sharon", "kind": "person"}
    assert absent(claims, "at least we have got the first step")
    assert absent(claims, "deep commitment to this purpose")


def test_bbc_opinion_and_question_are_not_claims():
    story = news_story("bbc_news.jsonl", "id", "politics/060")  # Cardinal criticises Iraq war cost
    claims = extract_claims(story["body"], source="BBC News")
    assert "should have been used to reduce poverty" in story["body"]
    assert absent(claims, "should have been used")
    assert absent(claims, "How is it that peace has not arrived")
    williams = find(claims, "criticised the government over its case for war")
    assert williams.claimant == {"name": "BBC News", "kind": "media"} and williams.claim_type == "event"


def test_reuters_unnamed_officials_and_a_named_official():
    story = news_story("reuters21578.jsonl", "newid", 19425)  # Pentagon stops new business with Toshiba
    claims = extract_claims(story["body"], source="Reuters")
    ban = find(claims, "stopped approving any new military contracts")
    assert ban.claimant == {"name": "A senior defense official", "kind": "unnamed source"}
    assert "said" not in ban.text
    machines = find(claims, "four more smaller machines")
    assert machines.claimant == {"name": "Stephen Bryen", "kind": "person"}
    assert machines.text.startswith("The Pentagon has now been informed")
    assert find(claims, "mounted on Soviet attack submarines").claimant == {"name": "Pentagon officials",
                                                                             "kind": "unnamed source"}
    assert absent(claims, "There may be even more")


def test_reuters_agency_statistics_with_money_quantities():
    story = news_story("reuters21578.jsonl", "newid", 15986)  # U.S. savings bonds sales
    claims = extract_claims(story["body"], source="Reuters")
    holdings = find(claims, "Total holdings of U.S. savings bonds")
    assert holdings.claimant == {"name": "Treasury", "kind": "organization"}
    assert holdings.claim_type == "statistic"
    assert [(q["value"], q["unit"]) for q in holdings.quantities] == [(94_760_000_000, "USD")]
    redemptions = find(claims, "March redemptions fell")
    assert [q["value"] for q in redemptions.quantities] == [6, 441_000_000, 468_000_000]


# -- the commands ----------------------------------------------------------------------------------

PRESS_RELEASE = (
    "Harbor Steel Corp said on Monday that it had hired 240 workers at its Riverton plant.\n"
    "The company said output rose 18% in the first quarter.\n"
    "Chief executive Dana Whitfield said the plant would double its capacity by 2027.\n"
    "The plant is a wonderful place to work.\n"
)


def test_extract_text_prints_claims_as_json(runner, tmp_path):
    path = tmp_path / "release.txt"
    path.write_text(PRESS_RELEASE, encoding="utf-8")
    result = runner.invoke(args=["extract-text", str(path), "--source", "Harbor Herald"])
    assert result.exit_code == 0, result.output
    claims = json.loads(result.output)["claims"]
    hired = next(c for c in claims if "240 workers" in c["text"])
    assert hired["claimant"] == {"name": "Harbor Steel Corp", "kind": "organization"}
    assert hired["claim_type"] == "statistic"
    assert hired["quantities"][0]["value"] == 240
    assert PRESS_RELEASE[hired["start"]:hired["end"]] == hired["sentence"]
    assert set(hired) == {"text", "sentence", "start", "end", "claimant", "claim_type", "quantities", "dates",
                          "score"}
    assert not any("wonderful" in c["text"] for c in claims)


def test_extract_text_reads_stdin_and_reports_bad_files(runner, tmp_path):
    result = runner.invoke(args=["extract-text", "-"], input=PRESS_RELEASE)
    assert result.exit_code == 0 and json.loads(result.output)["claims"]
    result = runner.invoke(args=["extract-text", str(tmp_path / "missing.txt")])
    assert result.exit_code != 0 and "missing.txt" in result.output and "Traceback" not in result.output
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 prices rose 5%.".encode("latin-1"))
    result = runner.invoke(args=["extract-text", str(tmp_path / "latin1.txt")])
    assert result.exit_code != 0 and "not UTF-8" in result.output


def claim_rows(db, document_id: int) -> list[dict]:
    """Return a document's stored claims, oldest first."""
    return list(db.query("SELECT * FROM claims WHERE document_id = ? ORDER BY id", [document_id]))


def test_extract_document_adds_only_missing_claims_and_leaves_triaged_ones_alone(runner, db):
    document_id = documents.add_document(db, body=PRESS_RELEASE, source="Harbor Herald").document_id
    before = claim_rows(db, document_id)
    assert len(before) >= 3
    triaged, merged, lost = before[0], before[1], before[2]
    db.execute("UPDATE claims SET status = 'queued', text = 'Edited by a checker.' WHERE id = ?", [triaged["id"]])
    db.execute("UPDATE claims SET status = 'merged' WHERE id = ?", [merged["id"]])
    db.execute("DELETE FROM claim_appearances WHERE claim_id = ?", [lost["id"]])
    db.execute("DELETE FROM claims WHERE id = ?", [lost["id"]])

    result = runner.invoke(args=["extract", "--document", str(document_id)])
    assert result.exit_code == 0, result.output
    assert "1 new claim(s)" in result.output
    after = claim_rows(db, document_id)
    assert len(after) == len(before)
    assert {r["normalized_text"] for r in after} == {r["normalized_text"] for r in before}
    kept = {r["id"]: r for r in after}
    assert kept[triaged["id"]]["status"] == "queued" and kept[triaged["id"]]["text"] == "Edited by a checker."
    assert kept[merged["id"]]["status"] == "merged"

    again = runner.invoke(args=["extract", "--all"])
    assert again.exit_code == 0 and "0 new claim(s)" in again.output
    assert len(claim_rows(db, document_id)) == len(before)


@pytest.mark.parametrize("args, message", [
    (["extract", "--document", "999"], "no document with id 999"),
    (["extract"], "give either --document ID or --all"),
    (["extract", "--document", "1", "--all"], "give either --document ID or --all"),
])
def test_extract_usage_errors_are_one_clean_line(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def old_wording(db, claim_id: int, text: str) -> None:
    """Make a stored claim read as older rules worded it (a database edit, not a person's)."""
    db.execute("UPDATE claims SET text = ?, normalized_text = ? WHERE id = ?", [text, text.lower(), claim_id])


def test_extract_replaces_untouched_claims_the_rules_no_longer_find_and_keeps_touched_ones(runner, db):
    document_id = documents.add_document(db, body=PRESS_RELEASE, source="Harbor Herald").document_id
    before = claim_rows(db, document_id)
    untouched, noted, tagged = before[0], before[1], before[2]
    old_wording(db, untouched["id"], "Old rules: it had hired 240 workers.")
    old_wording(db, noted["id"], "Old rules: output rose.")
    db.execute("INSERT INTO notes (claim_id, body, created_at) VALUES (?, 'Call the plant', '2026-01-01')",
               [noted["id"]])
    old_wording(db, tagged["id"], "Old rules: capacity doubles.")
    db.execute("INSERT INTO claim_tags (claim_id, tag) VALUES (?, 'steel')", [tagged["id"]])

    result = runner.invoke(args=["extract", "--document", str(document_id)])
    assert result.exit_code == 0, result.output
    assert "3 new claim(s)" in result.output and "1 untouched claim(s) the rules no longer find removed" in result.output
    after = {r["text"]: r for r in claim_rows(db, document_id)}
    assert "Old rules: it had hired 240 workers." not in after  # nobody had looked at it: replaced
    assert untouched["text"] in after and after[untouched["text"]]["status"] == "new"
    assert after["Old rules: output rose."]["id"] == noted["id"]  # a checker's note keeps it
    assert after["Old rules: capacity doubles."]["id"] == tagged["id"]
    assert len(after) == len(before) + 2
    history = list(db.query("SELECT details FROM events WHERE entity_type = 'document' AND entity_id = ?"
                            " AND action = 'reextracted'", [document_id]))
    assert json.loads(history[0]["details"]) == {"removed": 1, "new": 3, "linked": 0}

    again = runner.invoke(args=["extract", "--all"])
    assert "0 new claim(s)" in again.output and " 0 untouched claim(s)" in again.output
