"""The one analyzer definition: how every search box of Claimdesk reads words.

Three engines read words by it, so a word, another form of it, a prefix or a phrase finds the same
things in every box (corpus search, earlier fact-checks, the claim workspace, the queue's filter):

- Whoosh (``search_index.analysis``) analyses texts and queries with ``analyze`` / ``normalized``;
- the queue's FTS5 table on SQLite is created with ``FTS5_TOKENIZE`` (migrations 0002 and 0014);
- PostgreSQL's ``claimdesk`` text search configuration maps words as ``POSTGRES_MAPPING`` says and
  its texts are split by ``POSTGRES_SEPARATORS`` (migrations/postgres 0002 and 0014).

The definition, in the terms of each engine:

- **Tokenizer rule** (``WORD``): a word is a run of letters and digits; everything else, the
  underscore included, separates words ("U.S." is "u" "s", "neutralized.The" is two words, "2,500"
  is "2" "500"). FTS5's ``unicode61`` reads words so; PostgreSQL is given the text with every run of
  ``POSTGRES_SEPARATORS`` replaced by a space.
- **Folding** (``fold``): lower case, diacritics removed ("Zürich" is "zurich"): FTS5's
  ``remove_diacritics 2``; PostgreSQL's ``unaccent`` dictionary.
- **Stemmer** (``STEMMER``): the Porter algorithm ("neutralized", "neutralizing" and "neutrality" are
  all "neutral"): FTS5's ``porter`` tokenizer; Snowball's ``porter`` (PyStemmer here, the snowball
  dictionary on PostgreSQL), as FTS5 runs it: a word shorter than 3 or longer than 64 bytes is not
  stemmed, and FTS5 keeps Porter's own C version where Snowball's differs ("technology" is
  "technolog", "possibly" "possibl"; ``stem``), checked word by word against FTS5 on a corpus.
  PostgreSQL's snowball dictionary differs there, the known differences: it stems short words ("us"
  is "u") and keeps Snowball's forms (45 of Reuters' 52,000 words).
- **Stop words** (``STOP_WORDS``): none. FTS5 cannot drop words, so no engine does: every word is
  searchable and a phrase such as "bank of england" is matched word for word everywhere.
- **Prefixes** (``prefix_forms``, ``prefix_words``): ``word*`` finds the words whose stem starts
  with the stem of what was typed (as FTS5 and PostgreSQL read a prefix) and also the stems of the words it begins, so
  ``neutraliz*`` finds "neutralized" (stem "neutral", shorter than the typed prefix).

Changing anything here changes what the indexes hold: bump ``ANALYSIS_VERSION`` (Whoosh rebuilds its
generations) and, when ``FTS5_TOKENIZE`` or ``POSTGRES_MAPPING`` change, add a migration that
rebuilds the FTS5 table (``migrations/0014_one_analyzer.rebuild_claims_fts``) or the PostgreSQL
configuration and index (tests/search_index/test_words.py checks a migrated database agrees).
"""

import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

import Stemmer

WORD = re.compile(r"[^\W_]+")
# In ASCII, WORD's letters and digits are exactly [A-Za-z0-9]: every other byte becomes a space (``words_of``).
_ASCII_SEPARATORS = bytes(c if chr(c).isascii() and chr(c).isalnum() else 32 for c in range(256))
STEMMER = "porter"
STOP_WORDS: frozenset[str] = frozenset()
UNSTEMMED_BELOW, UNSTEMMED_ABOVE = 3, 64  # FTS5's porter tokenizer leaves such words (in UTF-8 bytes) as they are
ANALYSIS_VERSION = 4  # 3: SQLite's Porter; 4: no stop words, short words unstemmed, "_" separates words

FTS5_TOKENIZE = "porter unicode61 remove_diacritics 2"
POSTGRES_TEXT_CONFIG = "claimdesk"
POSTGRES_SEPARATORS = "[^[:alnum:]]+"
POSTGRES_TOKEN_TYPES = ("asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, "
                        "hword_numpart")
# The configuration's word mapping: fold (unaccent), then lower-case and stem (the snowball dictionary created
# by migrations/postgres/0002). Applied by migrations/postgres/0014 (CREATE EXTENSION unaccent first).
POSTGRES_MAPPING = (f"ALTER TEXT SEARCH CONFIGURATION {POSTGRES_TEXT_CONFIG} ALTER MAPPING FOR {POSTGRES_TOKEN_TYPES}"
                    f" WITH unaccent, {POSTGRES_TEXT_CONFIG}_{STEMMER}")
# The suffixes the Porter stemmer removes or rewrites (with their plurals and verb forms). A typed prefix may
# stop anywhere inside one: ``prefix_words`` tries every tail of each ("neutraliz" + "e", "rati" + "ng").
SUFFIXES = ("ization", "izations", "ational", "ation", "ations", "ator", "ators", "alism", "aliti", "alize", "alized",
            "ousness", "iveness", "fulness", "ement", "ements", "ments", "ence", "ances", "ible", "able", "ities",
            "ism", "ist", "ists", "ized", "izes", "izing", "ised", "ising", "ical", "ously", "ives", "ied", "ies",
            "eed", "ed", "ing", "ings", "ly", "al", "ers", "ors", "ful", "ness", "ant", "ent", "ous", "ate", "ated")
ENDINGS = ("",) + tuple(sorted({suffix[i:] for suffix in SUFFIXES for i in range(len(suffix))}, key=lambda e: (len(e), e)))
_stemmers = threading.local()  # a PyStemmer stemmer is not shared between threads


def fold(word: str) -> str:
    """Return a word lower-cased and without diacritics ("Élan" is "elan")."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)  # not NFKD: FTS5 keeps "½" and ligatures
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def snowball_stem(word: str) -> str:
    """Return Snowball's Porter stem of a folded word (what PostgreSQL's snowball dictionary gives)."""
    stemmer = getattr(_stemmers, STEMMER, None)
    if stemmer is None:
        stemmer = Stemmer.Stemmer(STEMMER)
        setattr(_stemmers, STEMMER, stemmer)
    return stemmer.stemWord(word) or word


def stem(word: str) -> str:
    """Return the Porter stem of a folded word, as FTS5's porter tokenizer gives it.

    FTS5 follows Porter's own C version where Snowball's differs: any double consonant but l, s, z
    is undoubled after "ed"/"ing" ("succeed"), and step 2's later rules BLI -> BLE, LOGI -> LOG
    ("possibly": "possibl", "technology": "technolog"). Tested word by word against FTS5 on a corpus.
    """
    if not UNSTEMMED_BELOW <= len(word.encode()) <= UNSTEMMED_ABOVE:
        return word
    stemmed = snowball_stem(word)
    if (stemmed[-2:] in _UNDOUBLED and (word == stemmed + "ed" or word == stemmed + "ing")
            and _has_vowel(stemmed)):
        return stemmed[:-1]
    if word in _THREE_LETTERS:
        return _THREE_LETTERS[word]
    if stemmed.endswith("logi") and not word.endswith("logie") and _measure(stemmed[:-4]) > 0:
        return stemmed[:-1]
    if stemmed.endswith("bli") and not stemmed.endswith("abli") and _measure(stemmed[:-3]) > 0:
        return _step5(_step4_ble(stemmed[:-1] + "e"))
    return stemmed


_THREE_LETTERS = {"ies": "ie", "eed": "e"}  # Porter's C version on the bare suffixes
_UNDOUBLED = {letter * 2 for letter in "chjkqvwx"}  # doubles Snowball keeps after "ed"/"ing" and Porter's C does not


def _consonant(word: str, i: int) -> bool:
    if word[i] in "aeiou":
        return False
    if word[i] == "y":
        return i == 0 or not _consonant(word, i - 1)
    return True


def _measure(part: str) -> int:
    """Return Porter's m: the number of vowel-consonant sequences in a word part."""
    kinds = "".join("c" if _consonant(part, i) else "v" for i in range(len(part)))
    return len(re.findall(r"v+c+", kinds))


def _has_vowel(part: str) -> bool:
    return any(not _consonant(part, i) for i in range(len(part)))


def _step4_ble(word: str) -> str:
    """Porter's step 4 for the -able/-ible endings that BLI -> BLE makes."""
    for suffix in ("able", "ible"):
        if word.endswith(suffix) and _measure(word[:-len(suffix)]) > 1:
            return word[:-len(suffix)]
    return word


def _step5(word: str) -> str:
    """Porter's step 5: a final e goes (m > 1, or m = 1 unless *o); a final ll after m > 1 becomes l."""
    if word.endswith("e"):
        base = _measure(word[:-1])
        cvc = (len(word) >= 4 and _consonant(word, -4 + len(word)) and not _consonant(word, len(word) - 3)
               and _consonant(word, len(word) - 2) and word[-2] not in "wxy")
        if base > 1 or (base == 1 and not cvc):
            word = word[:-1]
    if word.endswith("ll") and _measure(word) > 1:
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=50_000)  # Reuters-21578 holds ~48,000 distinct words
def normalized(word: str) -> str | None:
    """Return a word as the indexes hold it (folded and stemmed), or None for a stop word."""
    folded = fold(word)
    if not folded or folded in STOP_WORDS:
        return None
    return stem(folded)


def words_of(text: str) -> list[str]:
    """Return the words of a text in order, as ``WORD.findall`` finds them.

    An ASCII text (nearly every news story) is read by turning each byte that is not a letter or digit into a
    space and splitting on spaces, which the regular expression's scan costs about twice as much as; any other
    text is read by ``WORD`` itself.
    """
    if not text.isascii():
        return WORD.findall(text)
    return text.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split()


def analyze(text: str) -> list[str]:
    """Return the terms of a text in order."""
    return [term for word in WORD.findall(text or "") if (term := normalized(word))]


def prefix_forms(prefix: str) -> list[str]:
    """Return the index prefixes a typed ``word*`` stands for: its stem, as FTS5 and PostgreSQL read a prefix."""
    folded = fold(prefix)
    return [stem(folded) if folded not in STOP_WORDS else folded]


@functools.lru_cache(maxsize=1024)
def prefix_words(prefix: str) -> tuple[str, ...]:
    """Return words the typed prefix begins whose stems do not start with its stem ("neutraliz": "neutralize").

    A prefix stands for the terms starting with ``prefix_forms`` and for the stems of these words.
    """
    folded = fold(prefix)
    start = prefix_forms(prefix)[0]
    words, seen = [], {start}
    for ending in ENDINGS:
        word = folded + ending
        term = normalized(word)
        # Only stems the stemmer cut inside the typed letters (it may rewrite the last one: "happi").
        if (term and term not in seen and not term.startswith(start) and len(term) <= len(folded)
                and folded.startswith(term[:-1])):
            seen.add(term)
            words.append(word)
    return tuple(words)


def prefix_matches(prefix: str, term: str) -> bool:
    """Return whether an indexed term is one of the words a typed prefix stands for."""
    return (any(term.startswith(form) for form in prefix_forms(prefix))
            or term in {normalized(word) for word in prefix_words(prefix)})


@dataclass(frozen=True)
class Clause:
    """One part of a typed query: a word, a word used as a prefix, or a phrase (several words in a row)."""

    words: tuple[str, ...]
    prefix: bool = False


FIELD_NAMES = ("source", "claimant", "rating", "publisher", "language", "date", "published")  # the query language's
FIELD = re.compile(r'(?<![\w:])(\w+):("[^"]*"|\S+)')
PHRASE = re.compile(r'"([^"]*)"')


def split_fields(typed: str, fields: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """Return what was typed without its ``name:value`` terms for the named fields, and their values."""
    values = {}

    def field(match: re.Match) -> str:
        name = match.group(1).lower()
        if name not in fields:
            return match.group(0)
        values[name] = match.group(2).strip('"')
        return " "
    return (FIELD.sub(field, typed or "") if fields else (typed or "")), values


def read_query(typed: str, *, fields: tuple[str, ...] = (), last_is_prefix: bool = False,
               limit: int = 12) -> tuple[list[Clause], dict[str, str]]:
    """Read what was typed into a box: its clauses, and the values of the named ``fields`` (``claimant:x``).

    ``"..."`` is a phrase, ``word*`` a prefix; with ``last_is_prefix`` (a box that searches as one
    types), the last word is read as a prefix too. Other punctuation separates words.
    """
    rest, values = split_fields(typed, fields)
    clauses: list[Clause] = []
    for index, part in enumerate(PHRASE.split(rest)):
        if index % 2:  # inside quotes
            found = tuple(WORD.findall(part))
            if found:
                clauses.append(Clause(found))
            continue
        for token in part.split():
            found = WORD.findall(token)
            clauses += [Clause((word,)) for word in found[:-1]]
            if found:
                clauses.append(Clause((found[-1],), prefix=token.endswith("*")))
    clauses = clauses[:limit]
    if last_is_prefix and clauses and len(clauses[-1].words) == 1 and not (rest.rstrip().endswith('"')):
        clauses[-1] = Clause(clauses[-1].words, prefix=True)
    return clauses, values
