"""Has this been checked before? Ranking prior verdicts, and the `match` command."""

import datetime as dt
import json
from pathlib import Path

import pytest

from review.dates import now
from review.indexing import drain, enqueue
from review.matching import (
    FEATURES, INTERCEPT, STRONG_MATCH, WEIGHTS, claim_date_in, clean_claim_text, match_claim, match_claims,
    without_signature,
)

REVIEWS = [
    # claim reviewed, headline, rating label, rating key, publisher, date published
    ("5G towers spread the coronavirus", "Do 5G Towers Spread COVID-19?", "False", "false", "Snopes", "2020-03-20"),
    ("Drinking bleach cures COVID-19", "Bleach is not a cure", "Pants on Fire", "false", "PolitiFact", "2020-04-24"),
    ("The Eiffel Tower was sold for scrap in 1925", "Was the Eiffel Tower sold?", "Mostly false", "mostly-false",
     "AFP Fact Check", "2019-02-11"),
    ("Bill Gates wants to microchip people through vaccines", "Gates microchip rumor", "False", "false", "Snopes",
     "2020-05-02"),
    ("Wind turbines cause cancer", "No, wind turbines do not cause cancer", "False", "false", "PolitiFact",
     "2019-04-03"),
    ("5G towers spread the coronavirus", "Old rumor about 5G", "False", "false", "Full Fact", "2018-01-10"),
]


def add_review(db, claim, headline, label, key, publisher, published) -> int:
    """Store a prior review as the importer does, queued for the index."""
    with db.transaction():
        review_id = db.insert(
            "INSERT INTO prior_reviews (claim_reviewed, headline, review_body, rating_label, rating_key, publisher, url,"
            " date_published, raw_json, imported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [claim, headline, f"A review of the claim that {claim.lower()}.", label, key, publisher,
             f"https://factcheck.example/{publisher.lower().replace(' ', '-')}/{abs(hash((claim, published)))}",
             published, "{}", now(), now()])
        enqueue(db, "prior_review", review_id)
    return review_id


@pytest.fixture
def reviews(app, db):
    review_ids = [add_review(db, *review) for review in REVIEWS]
    drain(db, app.config["INDEX"])
    return review_ids


def test_the_same_claim_ranks_first_with_its_rating_publisher_and_url(app, reviews):
    matches = match_claim(app.config["INDEX"], "Do bleach drinks really cure covid? My uncle swears by it")
    best = matches[0]
    assert best.claim_reviewed == "Drinking bleach cures COVID-19"
    assert (best.rating_label, best.rating_key, best.publisher) == ("Pants on Fire", "false", "PolitiFact")
    assert best.url.startswith("https://factcheck.example/politifact/")
    assert (best.origin, best.prior_review_id, best.verdict_id) == ("imported", reviews[1], None)
    assert best.date == "2020-04-24"
    assert all(0 <= m.score <= 1 for m in matches) and len(matches) <= 5
    # A loose paraphrase ranks first but is not a strong match (the threshold is set for 95% precision).
    assert not best.strong and best.score < STRONG_MATCH


def test_a_repeat_of_the_claim_or_its_headline_is_a_strong_match(app, reviews):
    for text in ("Drinking bleach cures COVID-19, my uncle says.", "Bleach is not a cure"):
        best = match_claim(app.config["INDEX"], text)[0]
        assert best.claim_reviewed == "Drinking bleach cures COVID-19" and best.strong, text


def test_the_strong_match_threshold_and_weights_are_the_committed_settings():
    settings = json.loads((Path(__file__).resolve().parents[2] / "bench" / "settings" / "prior_claims.json")
                          .read_text(encoding="utf-8"))
    assert settings["strong_match"] == STRONG_MATCH and settings["intercept"] == INTERCEPT
    assert dict(zip(settings["features"], settings["weights"])) == WEIGHTS == dict(zip(FEATURES, WEIGHTS.values()))
    assert settings["cross_validated"]["strong_precision"] >= 0.9


def test_a_pasted_post_is_cleaned_and_its_date_counts_for_the_review_that_followed_it(app, reviews):
    post = ("BREAKING: #5GTowers spread the #Coronavirus!!! https://t.co/abc pic.twitter.com/xyz "
            "— Some One (@someone) March 3, 2020")

    def scores(text):
        return {m.publisher: m.score for m in match_claim(app.config["INDEX"], text, limit=2)}

    recent, older = scores(post), scores(post.replace("March 3, 2020", "January 2, 2018"))
    assert set(recent) == set(older) == {"Snopes", "Full Fact"}  # both reviews of the claim, through its hashtags
    assert recent["Snopes"] > recent["Full Fact"]  # the review that followed the post ranks first
    # An older post moves the older review up.
    assert older["Full Fact"] - older["Snopes"] > recent["Full Fact"] - recent["Snopes"]


def test_the_signature_of_a_pasted_post_is_read_apart(app, reviews):
    post = "Bleach is not a cure — Bill Gates Fan (@gatesfan) May 2, 2020"
    assert without_signature(post) == "Bleach is not a cure"
    assert without_signature("A claim without a signature") == "A claim without a signature"
    best = match_claim(app.config["INDEX"], post)[0]
    assert best.claim_reviewed == "Drinking bleach cures COVID-19" and best.strong  # the name does not pull Gates


def test_claim_text_cleaning_and_dates():
    assert clean_claim_text("Look #FakeNews @cnn https://x.co/1 now") == "Look Fake News now"
    assert claim_date_in("text — Name (@name) May 6, 2017") == dt.date(2017, 5, 6)
    assert claim_date_in("posted 6 May 2017") == dt.date(2017, 5, 6)
    assert claim_date_in("no date here") is None


def test_own_published_verdicts_match_too(app, db, reviews):
    with db.transaction():
        claim = db.insert("INSERT INTO claims (text, normalized_text, status, created_at, updated_at)"
                           " VALUES (?, ?, 'published', ?, ?)",
                           ["The harbor tunnel cost 2 billion dollars", "the harbor tunnel cost 2 billion dollars",
                            now(), now()])
        verdict = db.insert(
            "INSERT INTO verdicts (claim_id, revision, rating_key, conclusion, claim_reviewed, article_url, status,"
            " published_at, created_at, updated_at) VALUES (?, 1, 'mostly-true', ?, ?, ?, 'published', ?, ?, ?)",
            [claim, "Close: it cost 1.9 billion", "The harbor tunnel cost 2 billion dollars",
             "https://desk.example/fact-checks/harbor-tunnel", "2024-02-01", now(), now()])
        enqueue(db, "verdict", verdict)
    drain(db, app.config["INDEX"])
    best = match_claim(app.config["INDEX"], "the harbour tunnel cost two billion dollars?")[0]
    assert (best.origin, best.verdict_id, best.prior_review_id) == ("own", verdict, None)
    assert (best.rating_key, best.rating_label, best.url) == (
        "mostly-true", "Mostly true", "https://desk.example/fact-checks/harbor-tunnel")


def test_a_deleted_review_no_longer_matches(app, db, reviews):
    with db.transaction():
        db.execute("DELETE FROM prior_reviews WHERE id = ?", [reviews[4]])
        enqueue(db, "prior_review", reviews[4])
    drain(db, app.config["INDEX"])
    matches = match_claim(app.config["INDEX"], "wind turbines cause cancer")
    assert "Wind turbines cause cancer" not in [m.claim_reviewed for m in matches]


def test_nothing_to_match(app, index):
    assert match_claim(index, "anything at all") == []
    assert list(match_claims(index, ["", "   ", "@someone https://t.co/x"])) == [[], [], []]


def test_match_command_prints_score_rating_publisher_and_url(runner, reviews):
    result = runner.invoke(args=["match", "Wind turbines give people cancer", "--limit", "2"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[:3]
    assert first[0].startswith("1. ") and "False" in first[0] and "PolitiFact" in first[0]
    assert first[1].strip() == "Wind turbines cause cancer"
    assert first[2].strip().startswith("https://factcheck.example/politifact/")
    assert result.output.count("\n") == 6


def test_match_command_json(runner, reviews):
    result = runner.invoke(args=["match", "Eiffel Tower sold for scrap", "--json"])
    matches = json.loads(result.output)
    assert matches[0]["claim_reviewed"].startswith("The Eiffel Tower") and matches[0]["url"]
    assert {"score", "rating_label", "rating_key", "publisher", "date", "url", "origin"} <= set(matches[0])


def test_match_batch_writes_one_json_line_per_input_line(runner, reviews):
    claims = "Eiffel Tower sold for scrap\n\nGates puts microchips in vaccines\n"
    result = runner.invoke(args=["match", "--batch", "-", "--limit", "3"], input=claims)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3
    answers = [json.loads(line) for line in lines]
    assert answers[1] == []
    assert answers[0][0]["claim_reviewed"].startswith("The Eiffel Tower")
    assert answers[2][0]["claim_reviewed"].startswith("Bill Gates")
    assert all(m["url"] for answer in answers for m in answer)
    assert all(len(answer) <= 3 for answer in answers)


def test_match_batch_from_a_file(runner, reviews, tmp_path):
    path = tmp_path / "claims.txt"
    path.write_text("wind turbines cause cancer\r\n5G spreads coronavirus", encoding="utf-8")
    result = runner.invoke(args=["match", "--batch", str(path)])
    assert [len(json.loads(line)) > 0 for line in result.output.splitlines()] == [True, True]


def test_a_claimdesk_match_process_answers_without_creating_the_app(app, reviews, tmp_path):
    """`claimdesk match` reads the settings and the index only: Flask, the views and sqlite-utils stay unloaded."""
    import os
    import subprocess
    import sys

    from tests.conftest import database_env

    env = {**os.environ, "CLAIMDESK_INSTANCE": str(tmp_path), "CLAIMDESK_INDEX": app.config["INDEX"],
           **database_env(tmp_path)}
    code = ("import json, sys\nfrom app.cli import main\n"
            "main(['match', 'Wind turbines give people cancer', '--json'], standalone_mode=False)\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlite_utils', 'jinja2'})))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answer, loaded = done.stdout.splitlines()
    assert json.loads(answer)[0]["claim_reviewed"] == "Wind turbines cause cancer"
    assert json.loads(loaded) == []


def test_a_claimdesk_match_on_a_fresh_instance_creates_its_database_first(tmp_path):
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items()
           if key not in ("CLAIMDESK_DB", "CLAIMDESK_INDEX", "CLAIMDESK_DATABASE_URL", "CLAIMDESK_SEARCH")}
    env["CLAIMDESK_INSTANCE"] = str(tmp_path / "fresh")
    done = subprocess.run([sys.executable, "-c", "from app.cli import main\nmain(['match', 'Wind turbines cause cancer'])"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "No prior verdict matches this claim."), done.stderr
    assert (tmp_path / "fresh" / "claimdesk.db").exists()


@pytest.mark.parametrize("args", [["match"], ["match", "text", "--batch", "-"], ["match", "x", "--limit", "0"]])
def test_match_command_refuses_unclear_requests(runner, args):
    result = runner.invoke(args=args, input="")
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_the_claim_table_keeps_the_rerank_features_it_precomputed(tmp_path):
    import numpy as np

    from search_index.claim_table import GRAM_FIELDS, ClaimTable, gram_hashes

    texts = [("Drinking bleach cures COVID-19", "Bleach is not a cure", "A review.", "drinking bleach covid", 737000),
             ("", "", "", "", 0)]
    table = ClaimTable.build([0, 1], [["bleach"], []], texts)
    table.save(str(tmp_path / "t.npz"))
    loaded = ClaimTable.load(str(tmp_path / "t.npz"))
    grams, days = loaded.rerank_features(np.array([0, 1]), [(gram_hashes("drinking bleach cures covid-19"), GRAM_FIELDS)])
    assert grams[0, 0] == pytest.approx(1.0) and 0 < grams[0, 1] < 1 and 0 < grams[0, 3] < 1
    assert grams[1].tolist() == [0, 0, 0, 0]
    assert days.tolist() == [737000, 0]
    query, claim = set(gram_hashes("bleach cures").tolist()), set(gram_hashes("Drinking bleach cures COVID-19").tolist())
    cosine = loaded.grams["claim"].cosines(np.array([0]), gram_hashes("bleach cures"))[0]
    assert cosine == pytest.approx(len(query & claim) / np.sqrt(len(query) * len(claim)))


def test_a_fact_check_published_days_after_a_post_is_a_candidate_beyond_the_bm25_pool(app, db):
    """Sixty older reviews share more words with the post; the one written two days after it shares one word."""
    from review.matching import CANDIDATES, candidates
    from search_index import open_index

    for number in range(CANDIDATES + 10):
        add_review(db, f"The stadium roof collapsed under heavy snow in town {number}", f"Roof story {number}",
                   "False", "false", "Snopes", "2015-01-10")
    add_review(db, "A photograph shows an arena caved in after a blizzard", "Did a blizzard flatten the arena?",
               "False", "false", "Snopes", "2021-03-05")
    drain(db, app.config["INDEX"])
    index = open_index(app.config["INDEX"])
    try:
        post = "Heavy snow: the roof of the stadium collapsed, blizzard pics — Fan (@fan) March 3, 2021"
        found = [hit.fields["title"] for hit, _ in candidates(index, post)]
        undated = [hit.fields["title"] for hit, _ in candidates(index, without_signature(post))]
    finally:
        index.close()
    assert "Did a blizzard flatten the arena?" in found and len(found) == CANDIDATES + 1
    assert "Did a blizzard flatten the arena?" not in undated  # without the post's date it is not in the pool
