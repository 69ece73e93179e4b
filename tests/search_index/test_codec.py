"""The raw-array posting blocks hold what Whoosh's own codec holds, read one posting at a time or in bulk."""

import random
from types import SimpleNamespace

import numpy as np
import pytest

from search_index import whoosh_vector
from search_index.base import Record
from search_index.plain import records_reader
from search_index.whoosh_codec import PackedLeafMatcher, term_blocks
from search_index.whoosh_schema import SEARCH_FIELD, normalized

WORDS = ["of", "the", "bank", "england", "rates", "oil", "crude", "trade", "deficit", "japan", "sugar", "quota"]
TERMS = [normalized(word) for word in WORDS]  # as indexed: "rates" is "rate"


def one_at_a_time(reader, term, fieldname=SEARCH_FIELD):
    """Return [(id, weight, positions)] of a term as Whoosh's matcher interface gives them."""
    matcher = reader.postings(fieldname, term)
    found = []
    while matcher.is_active():
        positions = matcher.value_as("positions") if fieldname == SEARCH_FIELD else None
        found.append((matcher.id(), matcher.weight(), positions))
        matcher.next()
    return found


@pytest.fixture
def indexes(tmp_path):
    rng = random.Random(7)
    records = [Record("document", n, body=" ".join(rng.choices(WORDS, weights=range(len(WORDS), 0, -1),
                                                                k=rng.randrange(1, 60))),
                      source=rng.choice(["Reuters", "AP"]))
               for n in range(1, 901)]
    stock = records_reader(str(tmp_path / "stock"), records, stock=True)
    packed = records_reader(str(tmp_path / "packed"), records, stock=False)
    yield stock, packed
    stock.close()
    packed.close()


def test_whoosh_reads_the_same_postings_from_both_codecs(indexes):
    stock, packed = indexes
    assert isinstance(packed.postings(SEARCH_FIELD, "of"), PackedLeafMatcher)
    assert len(list(packed.postings(SEARCH_FIELD, "of").all_ids())) > 3 * 128  # several blocks
    for term in TERMS:
        assert one_at_a_time(packed, term) == one_at_a_time(stock, term), term
        matcher = packed.postings(SEARCH_FIELD, term)
        matcher.skip_to(450)
        assert matcher.id() == next(i for i, _, _ in one_at_a_time(stock, term) if i >= 450)
    for value in ("reuters", "ap"):  # a field without positions
        assert one_at_a_time(packed, value, "source") == one_at_a_time(stock, value, "source")


def test_a_posting_list_read_at_once_gives_every_posting_and_position(indexes):
    stock, packed = indexes
    rng = random.Random(3)
    for term in TERMS:
        expected = one_at_a_time(stock, term)
        blocks = term_blocks(packed.postings(SEARCH_FIELD, term))
        ids, weights, owners, positions = blocks.postings(positions=True)
        assert ids.tolist() == [i for i, _, _ in expected]
        assert weights.tolist() == [w for _, w, _ in expected]
        assert [positions[owners == row].tolist() for row in range(len(ids))] == [p for _, _, p in expected]
        # Only the blocks that may hold some wanted documents are read, and they hold all of those that have the term.
        wanted = np.array(sorted(rng.sample(range(900), 40)))
        chosen = blocks.blocks_holding(wanted)
        some_ids = blocks.postings(chosen)[0]
        assert len(chosen) <= len(blocks.starts)
        assert set(ids.tolist()) & set(wanted.tolist()) <= set(some_ids.tolist())


def test_the_search_reads_the_same_postings_from_either_codec(indexes):
    stock, packed = indexes
    rng = random.Random(5)
    for term in TERMS:
        for within in (None, np.array(sorted(rng.sample(range(900), 60)))):
            old, new = (whoosh_vector.postings(SimpleNamespace(reader=reader), SEARCH_FIELD, term, within=within,
                                               positions=True) for reader in (stock, packed))
            for a, b in zip(old, new):
                assert a.tolist() == b.tolist(), term


def test_field_lengths_read_as_whoosh_reads_them(indexes):
    stock, packed = indexes
    for docnum in range(901):
        for field in (SEARCH_FIELD, "claimant"):  # claimant: an empty field, no length kept
            assert packed.doc_field_length(docnum, field) == stock.doc_field_length(docnum, field)
    for term in TERMS:  # the lengths the writer kept for each posting list
        old, new = stock.term_info(SEARCH_FIELD, term), packed.term_info(SEARCH_FIELD, term)
        assert (new.min_length(), new.max_length()) == (old.min_length(), old.max_length()), term
