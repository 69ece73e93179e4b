"""The engine's writer (postings grouped by term, written a whole posting list at a time) writes what
Whoosh's own writer writes with the same codec, byte for byte, also when its pool spills to run files and
when a commit merges segments."""

import os
import random
from array import array

import pytest

from search_index.base import Record
from search_index.plain import all_postings, field_writer, segment_files, write_batches
from search_index.whoosh_codec import OutOfOrderError
from search_index.whoosh_schema import SEARCH_FIELD, record_key

WORDS = ["of", "the", "bank", "england", "rates", "oil", "crude", "trade", "deficit", "japan", "sugar", "quota",
         "café", "Zürich", "naïve", "1987", "pct", "mln", "dlrs", "said"]


def some_records(count: int, seed: int, start: int = 1) -> list[Record]:
    """Return records of random words: some bodies empty, some with a claimant, a few sources and days."""
    rng = random.Random(seed)
    records = []
    for n in range(start, start + count):
        words = rng.choices(WORDS, weights=range(len(WORDS), 0, -1), k=rng.choice([0, 1, 5, 40, 300]))
        records.append(Record("document", n, title=" ".join(rng.sample(WORDS, 3)), body=" ".join(words),
                              claimant=rng.choice(["", "", "Bank of England"]), source=rng.choice(["Reuters", "AP", ""]),
                              published=rng.choice([None, f"1987-03-0{rng.randrange(1, 9)}"])))
    return records


def assert_same_segments(tmp_path) -> None:
    """Assert the segment files under tmp_path/ours are byte for byte those under tmp_path/whoosh."""
    theirs, ours = segment_files(str(tmp_path / "whoosh")), segment_files(str(tmp_path / "ours"))
    assert ours.keys() == theirs.keys()
    for name in theirs:
        assert ours[name] == theirs[name], name


@pytest.mark.parametrize("limitmb", [256, 0.02])  # 0.02 MB: the engine's pool saves many runs and merges them
def test_the_segment_is_the_one_whoosh_writes(tmp_path, limitmb):
    batches = [([], some_records(600, seed=3))]
    write_batches(str(tmp_path / "whoosh"), batches, whoosh_pool=True)
    runs = write_batches(str(tmp_path / "ours"), batches, whoosh_pool=False, limitmb=limitmb)
    assert (runs > 3) == (limitmb < 1)
    theirs, ours = segment_files(str(tmp_path / "whoosh")), segment_files(str(tmp_path / "ours"))
    assert sorted(ours) == sorted(theirs) and any(name.endswith(".pst") for name in ours)
    for name in theirs:
        assert ours[name] == theirs[name], name
    assert not [name for name in os.listdir(tmp_path / "ours") if name.endswith((".tmp", ".run"))]  # runs deleted


def test_commits_that_merge_segments_keep_every_posting(tmp_path):
    rng = random.Random(11)
    batches = []
    for batch in range(14):
        gone = [record_key("document", n) for n in rng.sample(range(1, 1 + 100 * batch), 5)] if batch else []
        batches.append((gone, some_records(rng.randrange(5, 40), seed=batch, start=1 + 100 * batch)))
    write_batches(str(tmp_path / "whoosh"), batches, whoosh_pool=True)
    write_batches(str(tmp_path / "ours"), batches, whoosh_pool=False)
    (theirs, their_segments), (ours, our_segments) = (all_postings(str(tmp_path / name)) for name in ("whoosh", "ours"))
    assert our_segments == their_segments < len(batches)  # segments were merged
    assert ours.keys() == theirs.keys() and (SEARCH_FIELD, b"england") in ours
    for key in theirs:
        assert ours[key] == theirs[key], key


def test_documents_boosted_on_their_own_are_written_as_whoosh_writes_them(tmp_path):
    # A boosted document's positions go Whoosh's own way, after the tokens held for the documents before it.
    batches = [([], some_records(300, seed=5))]
    boosts = {n: 2.5 for n in range(1, 301) if n % 7 == 3}
    write_batches(str(tmp_path / "whoosh"), batches, whoosh_pool=True, boosts=boosts)
    write_batches(str(tmp_path / "ours"), batches, whoosh_pool=False, boosts=boosts)
    assert_same_segments(tmp_path)


def test_exact_values_and_verdict_fields_are_written_as_whoosh_writes_them(tmp_path):
    # Whole-value fields (key, source, rating, publisher, language) take the writer's short way: accents, spaces,
    # odd characters and stored extras must come out as Whoosh's own writer gives them.
    rng = random.Random(7)
    records = []
    for n in range(1, 200):
        records.append(Record(
            "verdict", -n if n % 3 else n, title=rng.choice(["", "Mostly false", "Zürich, naïve café"]),
            body=" ".join(rng.choices(WORDS, k=rng.choice([0, 3, 30]))), claimant=rng.choice(["", "Ministère"]),
            source=rng.choice(["", "Le Monde Café", "AP", "  x\ty  "]), rating=rng.choice(["", "false", "Faux ½"]),
            publisher=rng.choice(["", "Full Fact", "Correctiv Ü"]), language=rng.choice([None, "en", "fr", "pt-BR"]),
            url=rng.choice([None, "https://example.org/a"]), published=rng.choice([None, "2020-02-29T10:00:00"]),
            extra={"claim_reviewed": "The moon is made of cheese", "rating_label": "False", "origin": "own"}))
    batches = [([], records)]
    write_batches(str(tmp_path / "whoosh"), batches, whoosh_pool=True)
    write_batches(str(tmp_path / "ours"), batches, whoosh_pool=False)
    assert_same_segments(tmp_path)


@pytest.mark.parametrize("run_postings", [1, 50, 129])
def test_terms_written_in_runs_give_the_same_segment(tmp_path, monkeypatch, run_postings):
    # The codec writes a field's terms many at once; a run may end anywhere (after one term, inside a field,
    # next to a term of more than one block), and the segment stays Whoosh's.
    from search_index import whoosh_codec

    batches = [([], some_records(400, seed=9))]
    write_batches(str(tmp_path / "whoosh"), batches, whoosh_pool=True)
    monkeypatch.setattr(whoosh_codec, "RUN_POSTINGS", run_postings)
    write_batches(str(tmp_path / "ours"), batches, whoosh_pool=False)
    assert_same_segments(tmp_path)


@pytest.mark.parametrize("weight", [1.0, 0.5])  # written many terms at once, or (a fraction) one at a time
def test_postings_out_of_document_order_are_refused(weight):
    writer = field_writer("key")
    run = [(b"a", array("I", [1, 4]), array("d", [weight] * 2), array("I", [0, 0]), b""),
           (b"b", array("I", [3, 2]), array("d", [weight] * 2), array("I", [0, 0]), b"")]
    with pytest.raises(OutOfOrderError, match="key:b'b'"):
        writer._write_run(run, None)
    writer.close()


@pytest.mark.parametrize("narrow_terms", [1 << 16, 0])
def test_term_numbers_sorted_as_16_or_32_bit_give_the_same_segment(tmp_path, monkeypatch, narrow_terms):
    # Up to 65,536 terms the pool sorts term numbers as 16-bit ones, past that as 32-bit: both orders are Whoosh's.
    from search_index import whoosh_postings

    monkeypatch.setattr(whoosh_postings, "NARROW_TERMS", narrow_terms)
    batches = [([], some_records(300, seed=17))]
    write_batches(str(tmp_path / "whoosh"), batches, whoosh_pool=True)
    write_batches(str(tmp_path / "ours"), batches, whoosh_pool=False)
    assert_same_segments(tmp_path)
