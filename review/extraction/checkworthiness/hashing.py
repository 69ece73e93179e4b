"""Pack sentences into one byte buffer, find word tokens, and hash spans deterministically.

Text is lower-cased and every digit becomes ``0`` before hashing, so "2,500"
and "1,987" share features. Hashing is a fixed polynomial hash over UTF-8
bytes in wrapping uint64 arithmetic: deterministic across runs and platforms
(Python's salted ``hash()`` is never used).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

U64 = np.uint64
POLY = 0x100000001B3  # FNV-64 prime, odd, so it is invertible mod 2**64
_POLY_INV = pow(POLY, -1, 2**64)
_MIX = 0x9E3779B97F4A7C15  # golden-ratio multiplier (Fibonacci hashing)
_BIGRAM_MUL = 0xC2B2AE3D27D4EB4F
FIRST_WORD_SALT = 0x165667B19E3779F9

_PUNCT_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2026": "...",
    }
)
_DIGITS_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")

_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[ord("a"): ord("z") + 1] = True
_WORD_BYTE[ord("0")] = True
_WORD_BYTE[128:] = True  # UTF-8 continuation and lead bytes: letters elsewhere


_POWERS: dict[int, np.ndarray] = {}  # base -> its powers so far (a batch needs as many as it has bytes)


def _powers(base: int, n: int) -> np.ndarray:
    """Return ``base**k mod 2**64`` for k in ``range(n)`` as uint64 (a read-only view of a shared table)."""
    table = _POWERS.get(base)
    if table is None or len(table) < n:
        size = max(n, 2 * len(table) if table is not None else 1 << 16)
        table = np.ones(size, dtype=U64)
        if size > 1:
            table[1:] = np.cumprod(np.full(size - 1, base, dtype=U64))
        table.flags.writeable = False
        _POWERS[base] = table
    return table[:n]


def bucket(hashes: np.ndarray, bits: int) -> np.ndarray:
    """Map uint64 hashes to ``bits``-bit buckets (Fibonacci hashing)."""
    mixed = hashes >> U64(29)  # in place from here: one temporary, not four
    mixed ^= hashes
    mixed *= U64(_MIX)
    mixed >>= U64(64 - bits)
    return mixed.view(np.int64)  # below 2**bits, so the same numbers as int64 without a copy


def _span_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Return a polynomial hash of each byte span ``data[start:end]``."""
    n = len(data)
    prefix = np.zeros(n + 1, dtype=U64)
    np.cumsum(data.astype(U64) * _powers(POLY, n), out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * _powers(_POLY_INV, n)[starts]


def token_hash(token: str) -> int:
    """Return the hash the feature extractor gives a lower-cased token."""
    data = np.frombuffer(token.encode("utf-8"), dtype=np.uint8)
    return int(_span_hashes(data, np.array([0]), np.array([len(data)]))[0])


def bigram_hashes(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Combine two token hashes into an order-sensitive bigram hash."""
    return left * U64(_BIGRAM_MUL) + right + U64(1)


@dataclass(frozen=True)
class Batch:
    """Hold a batch of sentences as one padded byte buffer."""

    raw: np.ndarray  # uint8, original case
    low: np.ndarray  # uint8, lower case, digits -> '0'
    seg_start: np.ndarray  # int64 per sentence
    seg_len: np.ndarray  # int64 per sentence (includes the two pad spaces)
    sent_of: np.ndarray  # int64 per byte: index of its sentence
    remaining: np.ndarray  # int64 per byte: bytes left in its sentence, itself included


def _normalize(sentence: str) -> bytes:
    """Return the sentence as padded UTF-8 with typographic marks folded."""
    if not sentence.isascii():  # every mark folded is outside ASCII, and most sentences have none
        sentence = sentence.translate(_PUNCT_MAP)
    return (" " + " ".join(sentence.split()) + " ").encode("utf-8")



_OTHER_ASCII_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"  # with " ", the ASCII characters str.split() splits at


def _normalize_all(sentences: list[str]) -> tuple[bytes, np.ndarray]:
    """Return the ``_normalize`` forms of sentences joined, and each one's length, in a few passes over the batch."""
    joined = "\x00".join(sentences)
    if not sentences or joined.count("\x00") != len(sentences) - 1:  # a sentence holds the separator: one by one
        encoded = [_normalize(s) for s in sentences]
        return b"".join(encoded), np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    if not joined.isascii():
        joined = joined.translate(_PUNCT_MAP)
    # As _normalize does per sentence: str.split() drops every run of whitespace ("\x00" is none), then the one
    # space left beside a separator goes (a whitespace-only sentence leaves "\x00 \x00"; both spaces go).
    # Text whose only spaces are single " " (most claims) has nothing to split but its ends.
    single = joined.isascii() and "  " not in joined and not any(space in joined for space in _OTHER_ASCII_SPACES)
    tidy = (joined.strip(" ") if single else " ".join(joined.split())).replace(" \x00", "\x00").replace("\x00 ", "\x00")
    marked = (" " + tidy.replace("\x00", " \x00 ") + " ").encode("utf-8")
    ends = np.append(np.flatnonzero(np.frombuffer(marked, dtype=np.uint8) == 0), len(marked))
    lengths = np.diff(ends, prepend=-1) - 1
    return marked.replace(b"\x00", b""), lengths


def pack_sentences(sentences: list[str]) -> Batch:
    """Pack sentences into one buffer with per-sentence offsets."""
    buffer, lengths = _normalize_all(sentences)
    starts = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    raw = np.frombuffer(buffer, dtype=np.uint8)
    low = np.frombuffer(buffer.lower().translate(_DIGITS_TO_ZERO), dtype=np.uint8)
    sent_of = np.repeat(np.arange(len(lengths)), lengths)
    remaining = np.repeat(starts + lengths, lengths) - np.arange(len(buffer))
    return Batch(raw, low, starts, lengths, sent_of, remaining)


@dataclass(frozen=True)
class Tokens:
    """Hold word tokens of a batch."""

    start: np.ndarray
    end: np.ndarray
    sent: np.ndarray
    hash: np.ndarray
    first: np.ndarray  # bool: first token of its sentence


def find_tokens(batch: Batch) -> Tokens:
    """Find word tokens (letters, digits, inner apostrophes) and hash them."""
    low = batch.low
    is_word = _WORD_BYTE[low]
    inner_apostrophe = np.zeros_like(is_word)
    inner_apostrophe[1:-1] = (low[1:-1] == ord("'")) & is_word[:-2] & is_word[2:]
    is_word |= inner_apostrophe
    edges = np.diff(is_word.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    start = np.flatnonzero(edges == 1)
    end = np.flatnonzero(edges == -1)
    sent = batch.sent_of[start]
    first = np.ones(len(start), dtype=bool)
    first[1:] = sent[1:] != sent[:-1]
    return Tokens(start, end, sent, _span_hashes(low, start, end), first)
