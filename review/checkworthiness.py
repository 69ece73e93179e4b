"""Score sentences for check-worthiness with a light hashed linear model.

A sentence is *check-worthy* when it states a verifiable fact that a
fact-checker would want to look into: statistics, quantities, money, named
actors doing or saying things.  Opinions, questions, promises and small talk
are not.

The model is a logistic regression over three feature groups, all computed
here in plain Python + numpy so that the runtime needs no scikit-learn:

* word unigrams and bigrams (plus the first word of the sentence), hashed;
* character 2..5-grams of the padded sentence, hashed;
* a few handcrafted cues that carry over from debate transcripts to news:
  numbers, quantities, money, percentages, capitalised names, attribution
  verbs, past-tense events, first/second-person opinions, hedges, questions.

Text is lower-cased and every digit becomes ``0`` before hashing, so
"2,500" and "1,987" share features.  Hashing is a fixed polynomial hash over
UTF-8 bytes in wrapping uint64 arithmetic: deterministic across runs and
platforms (Python's salted ``hash()`` is never used).  Each sentence's hashed
counts are divided by the square root of its number of n-grams in the group.

Weights live in ``review/data/checkworthiness.json`` (written by
``scripts/train_checkworthiness.py``): the hashed weights are a base64
string of zlib-compressed little-endian float16, the handcrafted weights,
bias, feature configuration, threshold and evaluation scores are plain JSON.
"""

from __future__ import annotations

import base64
import functools
import json
import zlib
from dataclasses import dataclass
from importlib import resources

import numpy as np

__all__ = ["CHECKWORTHY_THRESHOLD", "score_sentences"]

#: Probability at or above which a sentence counts as check-worthy.  Chosen on
#: the CheckThat! 2024 dev split by ``scripts/train_checkworthiness.py``.
CHECKWORTHY_THRESHOLD: float = 0.32

WEIGHTS_FILE = "checkworthiness.json"
FEATURE_VERSION = 1
CHUNK_SIZE = 2048

_U64 = np.uint64
_POLY = 0x100000001B3  # FNV-64 prime, odd, so it is invertible mod 2**64
_POLY_INV = pow(_POLY, -1, 2**64)
_MIX = 0x9E3779B97F4A7C15  # golden-ratio multiplier (Fibonacci hashing)
_BIGRAM_MUL = 0xC2B2AE3D27D4EB4F
_FIRST_WORD_SALT = 0x165667B19E3779F9

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

# Handcrafted cues.  Entries with a space are matched as word bigrams.
LEXICONS: dict[str, tuple[str, ...]] = {
    "quantity": (
        "million", "millions", "billion", "billions", "trillion", "thousand",
        "thousands", "hundred", "hundreds", "dozen", "dozens", "half", "twice",
        "double", "doubled", "tripled", "quadrupled", "majority", "average",
        "rate", "rates", "number", "numbers", "total", "per", "percent",
        "percentage", "per cent", "one third", "one quarter",
    ),
    "money": (
        "dollar", "dollars", "cents", "pounds", "euros", "yen", "rubles",
        "budget", "deficit", "debt", "spending", "spent", "paid", "pay",
        "cost", "costs", "price", "prices", "revenue", "profit", "tax",
        "taxes", "funding", "fund",
    ),
    "attribution": (
        "said", "says", "told", "reported", "reports", "report", "according to",
        "claimed", "claims", "stated", "announced", "confirmed", "denied",
        "added", "estimated", "estimates", "showed", "shows", "found",
        "revealed", "accused", "warned", "admitted", "testified", "cited",
    ),
    "past_irregular": (
        "was", "were", "had", "did", "went", "got", "made", "took", "gave",
        "paid", "lost", "won", "cut", "rose", "fell", "grew", "spent", "sold",
        "bought", "built", "left", "began", "came", "became", "brought",
        "held", "met", "led", "sent", "put", "set", "hit", "shot", "ran",
        "wrote", "saw", "knew", "took", "fought", "struck", "seized",
    ),
    "first_singular": ("i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"),
    "first_plural": (
        "we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd",
        "we'll", "let's",
    ),
    "second_person": ("you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd"),
    "opinion_verb": (
        "think", "believe", "feel", "hope", "should", "must", "ought", "want",
        "wish", "guess", "need", "shouldn't", "mustn't", "suppose", "agree",
        "disagree", "love", "hate", "like",
    ),
    "personal_opinion": (
        "i think", "i believe", "i feel", "i hope", "i guess", "i want",
        "i agree", "i disagree", "i know", "i mean", "we should", "we must",
        "we need", "we have", "we ought", "you should", "you must",
        "let me", "let us", "you know", "in my", "my view", "my opinion",
        "i would", "i will", "we will", "we're going", "i'm going",
    ),
    "hedge": (
        "maybe", "perhaps", "probably", "might", "possibly", "seems", "seem",
        "likely", "unlikely", "somewhat", "kind of", "sort of", "could",
        "would", "may",
    ),
    "evaluative": (
        "great", "good", "bad", "terrible", "wonderful", "unacceptable",
        "disgrace", "disgraceful", "ridiculous", "amazing", "horrible",
        "tremendous", "beautiful", "wrong", "fair", "unfair", "important",
        "proud", "sad", "shame", "nonsense", "awful", "incredible", "stupid",
        "best", "nice", "kind", "honest", "dishonest", "outrageous",
        "shameful", "absurd", "disaster", "disastrous",
    ),
    "future": ("will", "won't", "going to", "gonna", "i'll", "we'll", "you'll", "shall"),
    "change": (
        "increased", "decreased", "increase", "decrease", "rose", "fell",
        "risen", "fallen", "grew", "dropped", "declined", "more than",
        "less than", "fewer than", "higher", "lower", "highest", "lowest",
        "largest", "biggest", "record", "doubled", "tripled", "cut", "cuts",
        "raised", "lowered", "since", "ago", "up", "down",
    ),
    "discourse": (
        "well", "okay", "ok", "yes", "no", "thank", "thanks", "sir", "folks",
        "look", "listen", "excuse", "please", "applause", "laughter",
        "frankly", "obviously", "believe me",
    ),
    "time_reference": (
        "yesterday", "today", "last week", "last year", "last month",
        "this year", "this week", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "june", "july", "august", "september", "october",
        "november", "december", "years", "year", "months", "weeks", "days",
        "since", "during", "when",
    ),
    "legal_official": (
        "law", "bill", "voted", "vote", "votes", "congress", "senate",
        "government", "administration", "court", "military", "forces",
        "troops", "police", "ministry", "minister", "president", "officials",
        "official", "agency", "department", "killed", "attacked", "arrested",
    ),
}

DENSE_FEATURES: tuple[str, ...] = (
    "log_tokens",
    "short",
    "numbers",
    "percent_sign",
    "currency_sign",
    "capitalized",
    "past_ed",
    "question_end",
    "question_any",
    "exclamation",
    "quote_marks",
    *(f"lex_{name}" for name in LEXICONS),
)


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


@dataclass(frozen=True)
class Model:
    """Hold loaded weights and their feature configuration."""

    config: FeatureConfig
    hashed: np.ndarray  # float32, word_dim + char_dim
    dense: np.ndarray  # float64, len(DENSE_FEATURES)
    bias: float


# --------------------------------------------------------------------------
# Hashing primitives
# --------------------------------------------------------------------------


def _powers(base: int, n: int) -> np.ndarray:
    """Return ``base**k mod 2**64`` for k in ``range(n)`` as uint64."""
    out = np.ones(n, dtype=_U64)
    if n > 1:
        out[1:] = np.cumprod(np.full(n - 1, base, dtype=_U64))
    return out


def _bucket(hashes: np.ndarray, bits: int) -> np.ndarray:
    """Map uint64 hashes to ``bits``-bit buckets (Fibonacci hashing)."""
    mixed = (hashes ^ (hashes >> _U64(29))) * _U64(_MIX)
    return (mixed >> _U64(64 - bits)).astype(np.int64)


def _span_hashes(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Return a polynomial hash of each byte span ``data[start:end]``."""
    n = len(data)
    prefix = np.zeros(n + 1, dtype=_U64)
    np.cumsum(data.astype(_U64) * _powers(_POLY, n), out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * _powers(_POLY_INV, n)[starts]


def token_hash(token: str) -> int:
    """Return the hash the feature extractor gives a lower-cased token."""
    data = np.frombuffer(token.encode("utf-8"), dtype=np.uint8)
    return int(_span_hashes(data, np.array([0]), np.array([len(data)]))[0])


def _bigram_hashes(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Combine two token hashes into an order-sensitive bigram hash."""
    return left * _U64(_BIGRAM_MUL) + right + _U64(1)


# --------------------------------------------------------------------------
# Batch preparation
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Batch:
    """Hold a batch of sentences as one padded byte buffer."""

    raw: np.ndarray  # uint8, original case
    low: np.ndarray  # uint8, lower case, digits -> '0'
    seg_start: np.ndarray  # int64 per sentence
    seg_len: np.ndarray  # int64 per sentence (includes the two pad spaces)
    sent_of: np.ndarray  # int64 per byte: index of its sentence
    remaining: np.ndarray  # int64 per byte: bytes left in its sentence, itself included


def _normalize(sentence: str) -> bytes:
    """Return the sentence as padded UTF-8 with typographic marks folded."""
    return (" " + " ".join(sentence.translate(_PUNCT_MAP).split()) + " ").encode("utf-8")


def _prepare(sentences: list[str]) -> _Batch:
    """Pack sentences into one buffer with per-sentence offsets."""
    encoded = [_normalize(s) for s in sentences]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    buffer = b"".join(encoded)
    starts = np.zeros(len(encoded), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    raw = np.frombuffer(buffer, dtype=np.uint8)
    low = np.frombuffer(buffer.lower().translate(_DIGITS_TO_ZERO), dtype=np.uint8)
    sent_of = np.repeat(np.arange(len(encoded)), lengths)
    remaining = np.repeat(starts + lengths, lengths) - np.arange(len(buffer))
    return _Batch(raw, low, starts, lengths, sent_of, remaining)


@dataclass(frozen=True)
class _Tokens:
    """Hold word tokens of a batch."""

    start: np.ndarray
    end: np.ndarray
    sent: np.ndarray
    hash: np.ndarray
    first: np.ndarray  # bool: first token of its sentence


def _tokenize(batch: _Batch) -> _Tokens:
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
    return _Tokens(start, end, sent, _span_hashes(low, start, end), first)


# --------------------------------------------------------------------------
# Feature groups
# --------------------------------------------------------------------------


def _inv_sqrt_counts(counts: np.ndarray) -> np.ndarray:
    """Return 1/sqrt(count), with 0 for empty sentences."""
    out = np.zeros(len(counts), dtype=np.float64)
    nonzero = counts > 0
    out[nonzero] = 1.0 / np.sqrt(counts[nonzero])
    return out


def _unigrams_and_bigrams(tokens: _Tokens) -> tuple[np.ndarray, np.ndarray]:
    """Return hashes of tokens and within-sentence token pairs, with their rows."""
    same = tokens.sent[1:] == tokens.sent[:-1]
    bigrams = _bigram_hashes(tokens.hash[:-1][same], tokens.hash[1:][same])
    return np.concatenate([tokens.hash, bigrams]), np.concatenate([tokens.sent, tokens.sent[1:][same]])


def _word_group(tokens: _Tokens, n_rows: int, config: FeatureConfig) -> HashedGroup:
    """Hash unigrams, within-sentence bigrams and the first word."""
    ngrams, ngram_rows = _unigrams_and_bigrams(tokens)
    firsts = tokens.hash[tokens.first] ^ _U64(_FIRST_WORD_SALT)
    hashes = np.concatenate([ngrams, firsts])
    rows = np.concatenate([ngram_rows, tokens.sent[tokens.first]])
    counts = np.bincount(rows, minlength=n_rows)
    return HashedGroup(rows, _bucket(hashes, config.word_bits), _inv_sqrt_counts(counts))


def _char_group(batch: _Batch, config: FeatureConfig) -> HashedGroup:
    """Hash character n-grams that lie inside one padded sentence."""
    low64 = batch.low.astype(_U64)
    n = len(low64)
    rolling = low64.copy()
    all_rows = [np.zeros(0, dtype=np.int64)]
    all_cols = [np.zeros(0, dtype=np.int64)]
    for size in range(1, min(config.char_max, n) + 1):
        if size > 1:
            rolling = rolling[:-1] * _U64(_POLY) + low64[size - 1:]
        if size < config.char_min:
            continue
        valid = batch.remaining[: n - size + 1] >= size
        all_rows.append(batch.sent_of[: n - size + 1][valid])
        all_cols.append(_bucket(rolling[valid], config.char_bits))
    rows = np.concatenate(all_rows)
    counts = np.bincount(rows, minlength=len(batch.seg_len))
    cols = np.concatenate(all_cols) + config.word_dim
    return HashedGroup(rows, cols, _inv_sqrt_counts(counts))


@functools.lru_cache(maxsize=1)
def _lexicon_table() -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted hashes of lexicon entries and their lexicon bitmasks."""
    masks: dict[int, int] = {}
    for bit, words in enumerate(LEXICONS.values()):
        for entry in words:
            parts = entry.split()
            key = token_hash(parts[0])
            if len(parts) == 2:
                pair = _bigram_hashes(
                    np.array([key], dtype=_U64), np.array([token_hash(parts[1])], dtype=_U64)
                )
                key = int(pair[0])
            masks[key] = masks.get(key, 0) | (1 << bit)
    keys = np.array(sorted(masks), dtype=_U64)
    bits = np.array([masks[int(k)] for k in keys], dtype=np.int64)
    return keys, bits


def _lexicon_bits(hashes: np.ndarray) -> np.ndarray:
    """Return each hash's lexicon bitmask (0 when in no lexicon)."""
    keys, bits = _lexicon_table()
    idx = np.minimum(np.searchsorted(keys, hashes), len(keys) - 1)
    return np.where(keys[idx] == hashes, bits[idx], 0)


def _lexicon_counts(tokens: _Tokens, n_rows: int) -> np.ndarray:
    """Count, per sentence, the tokens and bigrams of each lexicon."""
    hashes, rows = _unigrams_and_bigrams(tokens)
    found = _lexicon_bits(hashes)
    hit = found != 0
    rows, found = rows[hit], found[hit]
    out = np.zeros((n_rows, len(LEXICONS)), dtype=np.float64)
    for bit in range(len(LEXICONS)):
        member = ((found >> bit) & 1).astype(np.float64)
        out[:, bit] = np.bincount(rows, weights=member, minlength=n_rows)
    return out


def _capitalized_counts(batch: _Batch, tokens: _Tokens, n_rows: int) -> np.ndarray:
    """Count tokens starting with A-Z that are not sentence-initial or 'I...'."""
    lead = batch.raw[tokens.start]
    upper = (lead >= ord("A")) & (lead <= ord("Z"))
    length = tokens.end - tokens.start
    nxt = batch.low[np.minimum(tokens.start + 1, len(batch.low) - 1)]
    pronoun_i = (lead == ord("I")) & ((length == 1) | (nxt == ord("'")))
    keep = upper & ~tokens.first & ~pronoun_i
    return np.bincount(tokens.sent[keep], minlength=n_rows).astype(np.float64)


def _ed_counts(batch: _Batch, tokens: _Tokens, n_rows: int) -> np.ndarray:
    """Count tokens of four letters or more ending in '-ed' (regular past)."""
    long_enough = tokens.end - tokens.start >= 4
    ends_ed = (batch.low[tokens.end - 1] == ord("d")) & (batch.low[tokens.end - 2] == ord("e"))
    keep = long_enough & ends_ed
    return np.bincount(tokens.sent[keep], minlength=n_rows).astype(np.float64)


def _char_counts(batch: _Batch, char: str) -> np.ndarray:
    """Count occurrences of one (possibly multi-byte) character per sentence."""
    code = np.frombuffer(char.encode("utf-8"), dtype=np.uint8)
    span = len(batch.raw) - len(code) + 1
    hits = np.ones(max(span, 0), dtype=bool)
    for offset, byte in enumerate(code):
        hits &= batch.raw[offset: offset + span] == byte
    sent = batch.sent_of[np.flatnonzero(hits)]
    return np.bincount(sent, minlength=len(batch.seg_len)).astype(np.float64)


def _last_byte(batch: _Batch) -> np.ndarray:
    """Return the last non-pad byte of each sentence (0 for empty ones)."""
    idx = batch.seg_start + batch.seg_len - 2
    out = batch.raw[np.maximum(idx, 0)].copy()
    out[batch.seg_len <= 2] = 0
    return out


def _dense_group(batch: _Batch, tokens: _Tokens) -> np.ndarray:
    """Compute the handcrafted features, in DENSE_FEATURES order."""
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
    lexicon = np.log1p(_lexicon_counts(tokens, n_rows))
    return np.column_stack(columns + [lexicon])


def extract_features(sentences: list[str], config: FeatureConfig) -> BatchFeatures:
    """Compute all feature groups for one batch of sentences."""
    batch = _prepare(sentences)
    tokens = _tokenize(batch)
    n_rows = len(sentences)
    groups = (_word_group(tokens, n_rows, config), _char_group(batch, config))
    return BatchFeatures(n_rows=n_rows, groups=groups, dense=_dense_group(batch, tokens))


# --------------------------------------------------------------------------
# Model loading and scoring
# --------------------------------------------------------------------------


def decode_weights(blob: str, size: int) -> np.ndarray:
    """Decode base64(zlib(float16 little-endian)) weights to float32."""
    raw = zlib.decompress(base64.b64decode(blob))
    weights = np.frombuffer(raw, dtype="<f2").astype(np.float32)
    if len(weights) != size:
        raise ValueError(f"expected {size} hashed weights, found {len(weights)}")
    return weights


def encode_weights(weights: np.ndarray) -> str:
    """Encode weights as base64(zlib(float16 little-endian))."""
    raw = np.asarray(weights, dtype="<f2").tobytes()
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def model_from_dict(payload: dict) -> Model:
    """Build a Model from the JSON payload, checking the feature layout."""
    feats = payload["features"]
    if feats["version"] != FEATURE_VERSION or tuple(feats["dense"]) != DENSE_FEATURES:
        raise ValueError("checkworthiness weights do not match this feature extractor")
    config = FeatureConfig(
        word_bits=feats["word_bits"], char_bits=feats["char_bits"],
        char_min=feats["char_min"], char_max=feats["char_max"],
    )
    hashed = decode_weights(payload["hashed_weights"], config.word_dim + config.char_dim)
    dense = np.array(payload["dense_weights"], dtype=np.float64)
    return Model(config=config, hashed=hashed, dense=dense, bias=float(payload["bias"]))


@functools.lru_cache(maxsize=1)
def load_model() -> Model:
    """Load the shipped weights once."""
    resource = resources.files(__package__ or "review") / "data" / WEIGHTS_FILE
    return model_from_dict(json.loads(resource.read_text(encoding="utf-8")))


def _margins(features: BatchFeatures, model: Model) -> np.ndarray:
    """Return the linear model's log-odds for a featurized batch."""
    margin = features.dense @ model.dense + model.bias
    for group in features.groups:
        summed = np.bincount(group.rows, weights=model.hashed[group.cols], minlength=features.n_rows)
        margin += summed * group.scale
    return margin


def score_with(model: Model, sentences: list[str]) -> np.ndarray:
    """Return check-worthiness probabilities for sentences under ``model``."""
    out = np.empty(len(sentences), dtype=np.float64)
    for lo in range(0, len(sentences), CHUNK_SIZE):
        chunk = list(sentences[lo: lo + CHUNK_SIZE])
        margin = _margins(extract_features(chunk, model.config), model)
        out[lo: lo + len(chunk)] = 1.0 / (1.0 + np.exp(-np.clip(margin, -40.0, 40.0)))
    return out


def score_sentences(sentences: list[str]) -> list[float]:
    """Return a 0-1 check-worthiness probability for each sentence."""
    if not sentences:
        return []
    return score_with(load_model(), sentences).tolist()
