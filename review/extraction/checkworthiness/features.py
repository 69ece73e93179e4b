"""Compute the model's features for a batch of sentences.

Three groups: word unigrams and bigrams (plus the first word), hashed;
character 2..5-grams of the padded sentence, hashed; and the handcrafted cues
of ``lexicons``. Each sentence's hashed counts are divided by the square root
of its number of n-grams in the group.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from review.extraction.checkworthiness.hashing import (
    FIRST_WORD_SALT, POLY, U64, Batch, Tokens, bigram_hashes, bucket, find_tokens, pack_sentences, token_hash,
)
from review.extraction.checkworthiness.lexicons import DENSE_FEATURES, LEXICONS


@dataclass(frozen=True)
class FeatureConfig:
    """Describe the hashed feature space (must match the trained weights)."""

    word_bits: int = 17
    char_bits: int = 17
    char_min: int = 2
    char_max: int = 5

    @property
    def word_dim(self) -> int:
        """Return the number of hashed word-feature slots."""
        return 1 << self.word_bits

    @property
    def char_dim(self) -> int:
        """Return the number of hashed char-feature slots."""
        return 1 << self.char_bits

    @property
    def n_features(self) -> int:
        """Return the total width of the feature vector."""
        return self.word_dim + self.char_dim + len(DENSE_FEATURES)


@dataclass(frozen=True)
class HashedGroup:
    """Hold one hashed feature group for a batch: occurrences and scaling."""

    rows: np.ndarray  # sentence index of each occurrence
    cols: np.ndarray  # column of each occurrence (already offset)
    scale: np.ndarray  # per-sentence value of one occurrence


@dataclass(frozen=True)
class BatchFeatures:
    """Hold the features of a batch of sentences in a sparse-friendly form."""

    n_rows: int
    groups: tuple[HashedGroup, ...]
    dense: np.ndarray  # (n_rows, len(DENSE_FEATURES)) float64


def _inv_sqrt_counts(counts: np.ndarray) -> np.ndarray:
    """Return 1/sqrt(count), with 0 for empty sentences."""
    out = np.zeros(len(counts), dtype=np.float64)
    nonzero = counts > 0
    out[nonzero] = 1.0 / np.sqrt(counts[nonzero])
    return out


def _unigrams_and_bigrams(tokens: Tokens) -> tuple[np.ndarray, np.ndarray]:
    """Return hashes of tokens and within-sentence token pairs, with their rows."""
    same = tokens.sent[1:] == tokens.sent[:-1]
    bigrams = bigram_hashes(tokens.hash[:-1][same], tokens.hash[1:][same])
    return np.concatenate([tokens.hash, bigrams]), np.concatenate([tokens.sent, tokens.sent[1:][same]])


def _word_group(tokens: Tokens, words: tuple[np.ndarray, np.ndarray], n_rows: int,
                config: FeatureConfig) -> HashedGroup:
    """Hash unigrams, within-sentence bigrams (``words``: their hashes and rows) and the first word."""
    ngrams, ngram_rows = words
    firsts = tokens.hash[tokens.first] ^ U64(FIRST_WORD_SALT)
    hashes = np.concatenate([ngrams, firsts])
    rows = np.concatenate([ngram_rows, tokens.sent[tokens.first]])
    counts = np.bincount(rows, minlength=n_rows)
    return HashedGroup(rows, bucket(hashes, config.word_bits), _inv_sqrt_counts(counts))


def _char_group(batch: Batch, config: FeatureConfig) -> HashedGroup:
    """Hash character n-grams that lie inside one padded sentence.

    The n-grams of one size that start in sentence ``r`` are its first ``len - size + 1`` bytes, in order, so
    their rows and counts come from the lengths alone (the same numbers as reading each byte's sentence).
    """
    low64 = batch.low.astype(U64)
    n = len(low64)
    sentences = np.arange(len(batch.seg_len))
    rolling = low64
    all_rows = [np.zeros(0, dtype=np.int64)]
    all_cols = [np.zeros(0, dtype=np.int64)]
    counts = np.zeros(len(batch.seg_len), dtype=np.int64)
    for size in range(1, min(config.char_max, n) + 1):
        if size > 1:
            rolling = rolling[:-1] * U64(POLY)
            rolling += low64[size - 1:]
        if size < config.char_min:
            continue
        inside = np.maximum(batch.seg_len - (size - 1), 0)
        all_rows.append(np.repeat(sentences, inside))
        counts += inside
        all_cols.append(bucket(rolling[batch.remaining[: n - size + 1] >= size], config.char_bits))
    cols = np.concatenate(all_cols)
    cols += config.word_dim
    return HashedGroup(np.concatenate(all_rows), cols, _inv_sqrt_counts(counts))


LEXICON_MIN_BITS = 16


@functools.lru_cache(maxsize=2)
def lexicon_table(min_bits: int = LEXICON_MIN_BITS) -> tuple[int, np.ndarray, np.ndarray]:
    """Return a table of the lexicon entries addressed by their hash's bucket: its bits, each slot's hash and bitmask.

    The bits are the fewest from ``min_bits`` at which no two entries share a bucket, so a hash is a lexicon
    entry exactly when the slot of its bucket holds that same hash (one look-up, no search).
    """
    masks: dict[int, int] = {}
    for bit, words in enumerate(LEXICONS.values()):
        for entry in words:
            parts = entry.split()
            key = token_hash(parts[0])
            if len(parts) == 2:
                pair = bigram_hashes(
                    np.array([key], dtype=U64), np.array([token_hash(parts[1])], dtype=U64)
                )
                key = int(pair[0])
            masks[key] = masks.get(key, 0) | (1 << bit)
    keys = np.array(list(masks), dtype=U64)
    bits = min_bits
    while len(np.unique(bucket(keys, bits))) < len(keys):
        bits += 1
    slots = bucket(keys, bits)
    slot_keys = np.zeros(1 << bits, dtype=U64)
    slot_masks = np.zeros(1 << bits, dtype=np.int64)  # 0 in an empty slot, so a hash landing there is in no lexicon
    slot_keys[slots] = keys
    slot_masks[slots] = list(masks.values())
    return bits, slot_keys, slot_masks


def lexicon_bits(hashes: np.ndarray, table: tuple[int, np.ndarray, np.ndarray]) -> np.ndarray:
    """Return each hash's lexicon bitmask (0 when in no lexicon) from a ``lexicon_table``."""
    bits, slot_keys, slot_masks = table
    slots = bucket(hashes, bits)
    return np.where(slot_keys[slots] == hashes, slot_masks[slots], 0)


def _lexicon_counts(words: tuple[np.ndarray, np.ndarray], n_rows: int) -> np.ndarray:
    """Count, per sentence, the tokens and bigrams (``words``: their hashes and rows) of each lexicon."""
    hashes, rows = words
    found = lexicon_bits(hashes, lexicon_table())
    hit = found != 0
    rows, found = rows[hit], found[hit]
    out = np.zeros((n_rows, len(LEXICONS)), dtype=np.float64)
    for bit in range(len(LEXICONS)):
        member = ((found >> bit) & 1).astype(np.float64)
        out[:, bit] = np.bincount(rows, weights=member, minlength=n_rows)
    return out


def _capitalized_counts(batch: Batch, tokens: Tokens, n_rows: int) -> np.ndarray:
    """Count tokens starting with A-Z that are not sentence-initial or 'I...'."""
    lead = batch.raw[tokens.start]
    upper = (lead >= ord("A")) & (lead <= ord("Z"))
    length = tokens.end - tokens.start
    nxt = batch.low[np.minimum(tokens.start + 1, len(batch.low) - 1)]
    pronoun_i = (lead == ord("I")) & ((length == 1) | (nxt == ord("'")))
    keep = upper & ~tokens.first & ~pronoun_i
    return np.bincount(tokens.sent[keep], minlength=n_rows).astype(np.float64)


def _ed_counts(batch: Batch, tokens: Tokens, n_rows: int) -> np.ndarray:
    """Count tokens of four letters or more ending in '-ed' (regular past)."""
    long_enough = tokens.end - tokens.start >= 4
    ends_ed = (batch.low[tokens.end - 1] == ord("d")) & (batch.low[tokens.end - 2] == ord("e"))
    keep = long_enough & ends_ed
    return np.bincount(tokens.sent[keep], minlength=n_rows).astype(np.float64)


def _char_counts(batch: Batch, char: str) -> np.ndarray:
    """Count occurrences of one (possibly multi-byte) character per sentence."""
    code = np.frombuffer(char.encode("utf-8"), dtype=np.uint8)
    span = len(batch.raw) - len(code) + 1
    hits = np.ones(max(span, 0), dtype=bool)
    for offset, byte in enumerate(code):
        hits &= batch.raw[offset: offset + span] == byte
    sent = batch.sent_of[np.flatnonzero(hits)]
    return np.bincount(sent, minlength=len(batch.seg_len)).astype(np.float64)


def _last_byte(batch: Batch) -> np.ndarray:
    """Return the last non-pad byte of each sentence (0 for empty ones)."""
    idx = batch.seg_start + batch.seg_len - 2
    out = batch.raw[np.maximum(idx, 0)].copy()
    out[batch.seg_len <= 2] = 0
    return out


def _dense_group(batch: Batch, tokens: Tokens, words: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Compute the handcrafted features, in DENSE_FEATURES order (``words``: unigram and bigram hashes, rows)."""
    n_rows = len(batch.seg_len)
    n_tokens = np.bincount(tokens.sent, minlength=n_rows).astype(np.float64)
    numbers = np.bincount(tokens.sent[batch.low[tokens.start] == ord("0")], minlength=n_rows)
    currency = sum(_char_counts(batch, sign) for sign in "$£€")
    last = _last_byte(batch)
    columns = [
        np.log1p(n_tokens) / 3.0,
        (n_tokens < 6).astype(np.float64),
        np.log1p(numbers.astype(np.float64)),
        np.minimum(_char_counts(batch, "%"), 1.0),
        np.minimum(currency, 1.0),
        np.log1p(_capitalized_counts(batch, tokens, n_rows)),
        np.log1p(_ed_counts(batch, tokens, n_rows)),
        (last == ord("?")).astype(np.float64),
        np.minimum(_char_counts(batch, "?"), 1.0),
        np.minimum(_char_counts(batch, "!"), 1.0),
        np.minimum(_char_counts(batch, '"'), 1.0),
    ]
    lexicon = np.log1p(_lexicon_counts(words, n_rows))
    return np.column_stack(columns + [lexicon])


def extract_features(sentences: list[str], config: FeatureConfig) -> BatchFeatures:
    """Compute all feature groups for one batch of sentences."""
    batch = pack_sentences(sentences)
    tokens = find_tokens(batch)
    n_rows = len(sentences)
    words = _unigrams_and_bigrams(tokens)  # read by the word group and the lexicon counts
    groups = (_word_group(tokens, words, n_rows, config), _char_group(batch, config))
    return BatchFeatures(n_rows=n_rows, groups=groups, dense=_dense_group(batch, tokens, words))
