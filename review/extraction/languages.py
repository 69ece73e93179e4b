"""Which language a text is in: detected once per document and stored with it.

Detection uses py3langid (a trained character n-gram model shipped inside the package, loaded on
first use, about a second); texts too short or too mixed to tell give None.
"""

import functools
import itertools
import re
import threading

import numpy as np

MIN_LETTERS = 20  # fewer letters than this cannot be told apart reliably
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 3000  # the opening of a long article tells its language as well as the whole
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ug", "sd", "ckb"})
LETTER = re.compile(r"[^\W\d_]")
_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

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

        def _raw_score(self, text):
            data = np.frombuffer(text, dtype=np.uint8)
            state = np.zeros(len(data), dtype=np.int64)
            for back in range(self._reach - 1, -1, -1):  # the byte ``back`` places before each position, oldest first
                # Positions closer than ``back`` to the start have no byte there to read and stay where they are.
                state[back:] = self._moves[self._rows[state[back:]] + data[:max(0, len(data) - back)]]
            found = self._features[state]
            found = found[found >= 0]
            if not len(found):
                return super()._raw_score(b"")
            features, counts = _first_met(found)
            return np.log1p(counts.astype(np.float32)) @ self._weights.rows(features) + self.nb_pc

    return WindowedIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


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
    """
    order = np.argsort(found, kind="stable")
    ordered = found[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.diff(np.append(starts, len(found)))
    first = order[starts]  # a stable sort puts each feature's first position at the start of its run
    met = np.argsort(first)
    return ordered[starts][met], counts[met]


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
    sample = (text or "")[:SAMPLE_CHARS]
    if sum(1 for _ in itertools.islice(LETTER.finditer(sample), MIN_LETTERS)) < MIN_LETTERS:  # stop at enough
        return None
    with _LOADING:  # two threads loading the model at once would each pay the second
        identifier = _identifier()
    language, confidence = identifier.classify(sample)
    return language if confidence >= MIN_CONFIDENCE else None


def is_english(language: str | None) -> bool:
    """Tell whether the English rules apply: English, or a language nobody named or detected."""
    return not language or language.lower().split("-")[0] == "en"


def is_right_to_left(language: str | None) -> bool:
    """Tell whether a language is written right to left."""
    return bool(language) and language.lower().split("-")[0] in RIGHT_TO_LEFT
