"""The scorer's features against the plain reading of them, sentence by sentence, so a faster path keeps them exact."""

import numpy as np
import pytest

from review.extraction.checkworthiness.features import FeatureConfig, extract_features, lexicon_bits, lexicon_table
from review.extraction.checkworthiness.hashing import POLY, U64, bucket, token_hash
from review.extraction.checkworthiness.lexicons import DENSE_FEATURES, LEXICONS
from review.extraction.checkworthiness.model import score_sentences

ODD = [
    "Exports rose 5% in 1986.", "", "   ", "a", "I", "Türkiye’s lira fell 3% — «a record».",
    "\u201cWe sold 4,000 cars,\u201d he said\u2026", "\u2028Output\u3000fell\x1c12 pct\u0085", "  x  y  ", "Q?",
]
CONFIG = FeatureConfig()


def _padded(sentence: str) -> bytes:
    """Return a sentence as the scorer reads it, written out plainly: marks folded, spaces single, padded."""
    folded = sentence
    for mark, plain in {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
                        "\u201e": '"', "\u2033": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
                        "\u2026": "..."}.items():
        folded = folded.replace(mark, plain)
    return (" " + " ".join(folded.split()) + " ").encode("utf-8").lower().translate(
        bytes.maketrans(b"123456789", b"000000000"))


def _char_ngrams(sentence: str) -> list[int]:
    """Return the hashed columns of a sentence's character 2..5-grams, size by size, left to right."""
    data, columns = _padded(sentence), []
    for size in range(CONFIG.char_min, CONFIG.char_max + 1):
        for start in range(len(data) - size + 1):
            value = 0
            for byte in data[start:start + size]:
                value = (value * POLY + byte) % 2**64
            columns.append(int(bucket(np.array([value], dtype=U64), CONFIG.char_bits)[0]) + CONFIG.word_dim)
    return columns


PLAIN = [" Exports rose 5% in 1986. ", "", " ", "a", "Q?", "x y", "it's 12.5 pct "]  # ASCII, single spaces only


@pytest.mark.parametrize("batch", [ODD, PLAIN], ids=["odd", "plain"])
def test_character_ngrams_of_a_batch_are_each_sentences_own_in_order(batch):
    char = extract_features(batch, CONFIG).groups[1]
    for row, sentence in enumerate(batch):
        expected = _char_ngrams(sentence)
        assert char.cols[char.rows == row].tolist() == expected, sentence
        assert char.scale[row] == pytest.approx(1 / np.sqrt(len(expected)))


def test_a_sentence_has_the_same_features_between_empty_and_whitespace_neighbours_as_alone():
    for sentence in ODD + PLAIN:
        alone = extract_features([sentence], CONFIG)
        beside = extract_features(["", sentence, "  ", "\n"], CONFIG)
        for group, in_batch in zip(alone.groups, beside.groups):
            assert in_batch.cols[in_batch.rows == 1].tolist() == group.cols.tolist(), sentence
            assert in_batch.scale[1] == group.scale[0]
        assert beside.dense[1].tolist() == alone.dense[0].tolist()


@pytest.mark.parametrize("name", list(LEXICONS))
def test_each_lexicon_entry_counts_in_its_lexicon_and_plain_words_in_none(name):
    column = DENSE_FEATURES.index(f"lex_{name}")
    sentences = [f"zebra {entry} zebra" for entry in LEXICONS[name]] + ["zebra quagga zebra"]
    dense = extract_features(sentences, CONFIG).dense
    lexicons = dense[:, DENSE_FEATURES.index(f"lex_{next(iter(LEXICONS))}"):]
    assert (dense[:-1, column] > 0).all()
    assert not lexicons[-1].any()


@pytest.mark.parametrize("min_bits", [4, 16])
def test_lexicon_lookup_is_exact_when_entries_share_buckets_at_first(min_bits):
    bits, slot_keys, slot_masks = table = lexicon_table(min_bits)
    entries, masks = slot_keys[slot_masks != 0], slot_masks[slot_masks != 0]
    assert bits >= min_bits and len({int(key) for key in entries}) == len(entries) > 300
    known = dict(zip(entries.tolist(), masks.tolist()))
    strangers = [token_hash(word) for word in ("zebra", "quagga", "okapi", "0")]
    hashes = np.concatenate([entries, np.array(strangers, dtype=U64),
                             np.random.default_rng(7).integers(0, 2**63, 5000, dtype=np.int64).astype(U64)])
    assert lexicon_bits(hashes, table).tolist() == [known.get(key, 0) for key in hashes.tolist()]
    assert lexicon_bits(hashes, table).tolist() == lexicon_bits(hashes, lexicon_table()).tolist()


def test_every_sentence_of_a_long_batch_scores_as_it_does_alone():
    sentences = [f"{['The ministry', 'We', 'Output'][n % 3]} said {n} tonnes {'rose' if n % 2 else 'fell'} "
                 f"{'in 1986' if n % 5 else 'maybe'}{'?' if n % 7 == 0 else '.'}" for n in range(700)]
    alone = [score_sentences([sentence])[0] for sentence in sentences]
    assert score_sentences(sentences) == pytest.approx(alone, abs=1e-12)  # the product's rounding may differ
