"""Export formats: a DataFeed, JSON Lines, and CSV safe from spreadsheet formulas; what we export imports back."""

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.claimreview.build import to_claimreview
from review.claimreview.export import serialize
from review.claimreview.read import parse_claimreviews
from review.claimreview.validate import validate
from review.ratings import label_lookup, normalize_label
from tests.review.claimreview.samples import PUBLISHER, VERDICT, built


def test_feed_formats():
    records = [built(), built(claim_reviewed="=HYPERLINK(\"http://evil\")", conclusion="@SUM(1)")]
    feed = json.loads(serialize(records, "json", PUBLISHER))
    assert feed["@type"] == "DataFeed" and feed["dataFeedElement"][0]["item"][0]["@type"] == "ClaimReview"
    lines = serialize(records, "jsonl", PUBLISHER).splitlines()
    assert [json.loads(line)["claimReviewed"] for line in lines][0] == VERDICT["claim_reviewed"]
    rows = list(csv.DictReader(io.StringIO(serialize(records, "csv", PUBLISHER))))
    assert rows[1]["claimReviewed"].startswith("'=") and rows[1]["conclusion"].startswith("'@")
    assert rows[0]["claimReviewed"] == VERDICT["claim_reviewed"]


# -- round trip: what we export imports back unchanged in meaning ---------------------------------
DEFAULT_SCALE = [("true", "True", 5), ("mostly-true", "Mostly true", 4), ("half-true", "Half true", 3),
                 ("mostly-false", "Mostly false", 2), ("false", "False", 1), ("misleading", "Misleading", None),
                 ("missing-context", "Missing context", None), ("unproven", "Unproven", None)]

words = st.text(alphabet=st.characters(categories=["L", "N"], max_codepoint=0x24F), min_size=1, max_size=12)

sentences = st.lists(words, min_size=2, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim_reviewed=sentences, conclusion=st.one_of(st.just(""), sentences), claimant=sentences,
       kind=st.sampled_from(["person", "organization", "media", "unnamed source"]),
       rating=st.sampled_from(DEFAULT_SCALE), day=st.dates(min_value=__import__("datetime").date(2000, 1, 1)),
       slug=st.from_regex(r"[a-z0-9]{1,20}", fullmatch=True))
def test_export_imports_back_unchanged_in_meaning(db, claim_reviewed, conclusion, claimant, kind, rating, day, slug):
    key, label, value = rating
    claim = {"id": 3, "text": claim_reviewed, "claimant": claimant, "claimant_kind": kind, "appeared_at": None}
    verdict = {"claim_reviewed": claim_reviewed, "conclusion": conclusion, "published_at": day.isoformat(),
               "language": "en", "article_url": f"https://desk.example/{slug}", "revision": 1}
    appearance = [{"url": f"https://source.example/{slug}", "title": None, "appeared_at": day.isoformat()}]
    record = to_claimreview(claim, verdict, {"key": key, "label": label, "rating_value": value}, (1, 5),
                                        PUBLISHER, appearance, date_published=day.isoformat())
    assert validate(record) == []
    parsed = parse_claimreviews(json.loads(json.dumps(record)))
    assert len(parsed) == 1
    fields = parsed[0][1].fields
    assert fields["claim_reviewed"] == claim_reviewed and fields["url"] == record["url"]
    assert fields["claimant"] == claimant and fields["publisher"] == PUBLISHER.name
    assert fields["date_published"][:10] == day.isoformat()
    mappings = label_lookup(db)
    mapped = [mappings.get(normalize_label(n)) for n in (fields["rating_label"], fields.get("rating_name")) if n]
    assert key in mapped
    if value is not None:
        assert fields["rating_value"] == value and fields["best_rating"] == 5 and fields["worst_rating"] == 1

