"""Which language a text is in: detected once per document and stored with it.

Detection uses py3langid (a trained character n-gram model shipped inside the package, loaded on
first use, about a second); texts too short or too mixed to tell give None. :func:`detect_languages`
tells a batch's texts at once (an ingest chunk), with the same answer for each as :func:`detect_language`.
"""

import functools
import math
import re
import threading
from collections.abc import Iterable

import numpy as np

MIN_LETTERS = 20  # fewer letters than this cannot be told apart reliably
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 3000  # the opening of a long article tells its language as well as the whole
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ug", "sd", "ckb"})
# Letters are [^\W\d_], everything else [\W\d_]: the two classes split the characters, so this matches
# from the start exactly when the text holds MIN_LETTERS letters, without counting them one match at a time.
ENOUGH_LETTERS = re.compile(r"(?:[\W\d_]*+[^\W\d_]){%d}" % MIN_LETTERS)
WALK_BYTES = 1 << 17  # bytes walked at once by a batch: positions' states stay a megabyte
_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, RAW_FLOOR, LanguageIdentifier

    class WindowedIdentifier(LanguageIdentifier):
        """py3langid's identifier, its byte automaton walked for all positions at once (same counts, same scores).

        The automaton's state after a byte is the longest pattern prefix ending there, at most
        ``reach`` bytes long (its depth), so it is the state reached from the start by the last
        ``reach`` bytes alone: ``reach`` array steps over every position replace a Python step per byte.
        """

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._moves = np.frombuffer(self.tk_nextmove, dtype=np.uint32)  # a view: the model is not copied
            self._rows = np.asarray(self._rowbase, dtype=np.int64)
            self._features = np.asarray(self.tk_output, dtype=np.int32)
            self._reach = _deepest_state(self._moves, self._rows)
            self._weights = WeightRows(self.nb_ptc)
            self._seam = _resetting_byte(self._moves, self._rows, self._features)

        def _raw_score(self, text):
            return self._raw_scores([text])[0]

        def _raw_scores(self, texts: list[bytes]) -> list[np.ndarray]:
            """Return each text's scores as the per-byte walk gives them, the texts walked one after another.

            The texts are joined with a byte that takes every state back to the start, which holds no
            feature: each text's positions reach the states they reach alone, and the seams add nothing.
            Each text's distinct features are then counted in the order first met (numbered by text,
            so one sort serves the batch) and its weighted sum is the same product on the same rows.
            """
            if self._seam is None:  # a model with no such byte: walk each text alone
                return [self._scores_of(*self._walk([text]))[0] for text in texts]
            scores: list[np.ndarray] = []
            start = 0
            while start < len(texts):
                end, size = start + 1, len(texts[start])
                while end < len(texts) and size + len(texts[end]) <= WALK_BYTES:
                    size, end = size + len(texts[end]), end + 1
                scores.extend(self._scores_of(*self._walk(texts[start:end])))
                start = end
            return scores

        def _walk(self, texts: list[bytes]) -> tuple[int, np.ndarray]:
            """Return how many texts, and the numbered features they hold (text * features + feature), in order."""
            data = np.frombuffer((self._seam or b"").join(texts), dtype=np.uint8)
            state = np.zeros(len(data), dtype=np.int64)
            for back in range(self._reach - 1, -1, -1):  # the byte ``back`` places before each position, oldest first
                # Positions closer than ``back`` to the start have no byte there to read and stay where they are.
                state[back:] = self._moves[self._rows[state[back:]] + data[:max(0, len(data) - back)]]
            found = self._features[state]
            positions = np.flatnonzero(found >= 0)
            ends = np.cumsum([len(text) + 1 for text in texts])  # where each text's seam byte is (after its end)
            return len(texts), np.searchsorted(ends, positions, side="right") * len(self.nb_ptc) + found[positions]

        def _scores_of(self, count: int, numbered: np.ndarray) -> list[np.ndarray]:
            """Return the raw scores of ``count`` texts from their numbered features (see :meth:`_walk`)."""
            if not len(numbered):
                return [self._featureless() for _ in range(count)]
            numbered, counts = _first_met(numbered)
            texts, features = np.divmod(numbered, len(self.nb_ptc))
            bounds = np.searchsorted(texts, np.arange(count + 1))
            scores = []
            for n in range(count):
                first, last = bounds[n], bounds[n + 1]
                if first == last:
                    scores.append(self._featureless())
                    continue
                weights = self._weights.rows(features[first:last])
                scores.append(np.log1p(counts[first:last].astype(np.float32)) @ weights + self.nb_pc)
            return scores

        def _featureless(self) -> np.ndarray:
            """Return the scores py3langid gives a text holding no feature (a new array: deciding changes it)."""
            return super()._raw_score(b"")

        def classify_many(self, texts: list[str]) -> list[tuple[str, float]]:
            """Return what :meth:`classify` returns for each text, their bytes walked together."""
            encoded = [self._encode(text) for text in texts]
            return [self._classify_scores(text, scores) for text, scores in zip(encoded, self._raw_scores(encoded))]

        def _classify_scores(self, text: bytes, scores: np.ndarray) -> tuple[str, float]:
            """Finish :meth:`classify` from a text's raw scores, as py3langid's ``_decide`` and ``classify`` do."""
            if self._norm_probs:
                scores *= 1.0 / math.sqrt(len(text) or 1)
                np.exp(scores - scores.max(), out=scores)
                scores /= scores.sum()
            for i, j in self._alias_pairs:
                if self._norm_probs:
                    scores[i] += scores[j]
                    scores[j] = 0.0
                else:
                    scores[i] = max(scores[i], scores[j])
                    scores[j] = RAW_FLOOR
            best = int(scores.argmax())
            confidence = float(scores[best])
            if self.min_confidence is not None and confidence < self.min_confidence:
                return "und", confidence
            return self.nb_classes[best], confidence

    return WindowedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _resetting_byte(moves: np.ndarray, rows: np.ndarray, features: np.ndarray) -> bytes | None:
    """Return a byte that leads every automaton state back to the start, when the start holds no feature."""
    if features[0] >= 0:
        return None
    for byte in np.flatnonzero(moves[rows[0] + np.arange(256)] == 0).tolist():  # candidates: the start keeps it
        if not moves[rows + byte].any():
            return bytes([byte])
    return None


def _deepest_state(moves: np.ndarray, rows: np.ndarray) -> int:
    """Return the largest number of bytes any automaton state stands for (its distance from the start)."""
    depth = np.full(len(rows), -1, dtype=np.int64)
    depth[0], frontier, level = 0, np.array([0]), 0
    reached = np.zeros(len(rows), dtype=bool)
    while len(frontier):
        level += 1
        reached[:] = False
        reached[moves[(rows[frontier][:, None] + np.arange(256)).ravel()]] = True  # a mark, not a sort
        frontier = np.flatnonzero(reached & (depth < 0))
        depth[frontier] = level
    return int(depth.max())


def _first_met(found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct features in the order first met and how often each occurs.

    That is the order the per-byte walk's Counter holds them in, so the weighted sum adds them alike.
    Sorting each feature times the length plus its position orders by feature, then position (a
    stable sort's order, from the faster plain sort of numbers); each run's head is the feature's first
    position, marked there so that reading the marks in position order gives the order first met.
    ``found`` must hold no value so large that this product passes 2**63 (a batch walks 131,072 bytes).
    """
    size = len(found)
    keys, positions = np.divmod(np.sort(found.astype(np.int64) * size + np.arange(size)), size)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.zeros(size, dtype=np.int64)
    counts[positions[starts]] = np.diff(np.append(starts, size))
    first = counts > 0
    return found[first], counts[first]


class WeightRows:
    """The model's per-feature weights (half-precision) read as single-precision rows, converted once each.

    Widening half-precision numbers is exact but slow (a few nanoseconds a number); a text needs a few
    hundred rows of 142 weights and most texts share most of their features, so converted rows are kept
    (at most ``CAPACITY``, about 19 MB; when full it starts afresh). The rows are the same numbers the
    mixed-precision product would widen, so the scores are the same.
    """

    CAPACITY = 32_768

    def __init__(self, weights: np.ndarray):
        self._weights = weights
        self._slot = np.full(len(weights), -1, dtype=np.int64)
        self._rows = np.empty((self.CAPACITY, weights.shape[1]), dtype=np.float32)
        self._used = 0
        self._lock = threading.Lock()

    def rows(self, features: np.ndarray) -> np.ndarray:
        """Return the weights of ``features`` as a single-precision array, one row a feature, in order."""
        if len(features) > self.CAPACITY:
            return self._weights[features].astype(np.float32)
        with self._lock:
            slots = self._slot[features]
            missing = features[slots < 0]
            if len(missing):
                if self._used + len(missing) > self.CAPACITY:
                    self._slot[:] = -1
                    self._used = 0
                    missing, slots = features, np.full(len(features), -1, dtype=np.int64)
                new = np.arange(self._used, self._used + len(missing))
                self._rows[new] = self._weights[missing]
                self._slot[missing] = new
                self._used += len(missing)
                slots = self._slot[features]
            return self._rows[slots]


def detect_language(text: str | None) -> str | None:
    """Return the ISO 639-1 code of the text's language ("en", "ar"), or None when it cannot be told."""
    return detect_languages([text])[0]


def detect_languages(texts: Iterable[str | None]) -> list[str | None]:
    """Return :func:`detect_language` of each text, the texts' bytes scored together (cheaper for many)."""
    samples = [(text or "")[:SAMPLE_CHARS] for text in texts]
    telling = [n for n, sample in enumerate(samples) if ENOUGH_LETTERS.match(sample)]
    languages: list[str | None] = [None] * len(samples)
    if not telling:
        return languages
    with _LOADING:  # two threads loading the model at once would each pay the second
        identifier = _identifier()
    for n, (language, confidence) in zip(telling, identifier.classify_many([samples[n] for n in telling])):
        languages[n] = language if confidence >= MIN_CONFIDENCE else None
    return languages


def is_english(language: str | None) -> bool:
    """Tell whether the English rules apply: English, or a language nobody named or detected."""
    return not language or language.lower().split("-")[0] == "en"


def is_right_to_left(language: str | None) -> bool:
    """Tell whether a language is written right to left."""
    return bool(language) and language.lower().split("-")[0] in RIGHT_TO_LEFT
