"""Find check-worthy claims in article text, with who asserts them.

The pipeline per document, one module per step:

1. ``sentences.segment`` splits the text into sentences with character offsets.
2. ``attribution.frames`` splits each sentence into the claims it makes and who
   makes each; ``claim_text.clean_claim`` tidies each claim's wording.
3. The claim texts are scored with ``review.scorers.score_sentences`` (the
   trained check-worthiness model), nudged by a few news rules
   (``filters.adjust_score``), and opinions, questions and vague hedges are
   dropped (``filters``).
4. The survivors get a claimant (``claimants``, resolved against a name index
   built once per document by ``names``), a claim type (``claim_types``),
   quantities and dates (``quantities``).

Markup in the text (``<script>…</script>``, ``<b>``) is blanked out first (``markup``), keeping
offsets, so no tag becomes part of a claim or a claimant's name.

A document in another language (``languages.is_english`` says no) is split by
``sentences.segment_any`` and its candidates come from language-neutral cues
(``cues``: figures, quotations, attributions) instead of steps 2-4. In both,
near-duplicate sentences fold into one claim stated ``repeats`` times (``repeats``),
and a candidate over ``claim_text.MAX_CLAIM_CHARS`` is no claim.

Everything is precompiled regular expressions and dictionary look-ups; no
step scans the whole document per sentence.
"""

from collections.abc import Sequence
from functools import lru_cache
from dataclasses import asdict, dataclass, field

from review.extraction import cues
from review.extraction.attribution import Frame, frames
from review import scorers  # the active check-worthiness model: the default one or the semantic extra's
from review.extraction.claim_text import MAX_CLAIM_CHARS, clean_claim, name_the_subject
from review.extraction.claim_types import claim_type
from review.extraction.claimants import PRONOUN_REACH, ClaimantResolver
from review.extraction.filters import DIGIT, adjust_score, is_hedged, is_opinion, is_vague, looks_like_claim
from review.extraction.patterns import OPEN_QUOTES, word_set
from review.extraction.languages import is_english
from review.extraction.markup import blank_markup
from review.extraction.quantities import dates, quantities
from review.extraction.repeats import NearDuplicates, words_in
from review.extraction.sentences import segment, segment_any


@dataclass
class Claim:
    """One extracted claim, with where it sits in the document."""

    text: str
    sentence: str
    start: int
    end: int
    claimant: dict | None
    claim_type: str
    quantities: list[dict] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    score: float = 0.0
    repeats: int = 1  # how many sentences of the document state it (near-duplicates fold into one claim)

    def as_dict(self) -> dict:
        """Return the claim as plain JSON-ready data."""
        return asdict(self)


def normalize_claim(text: str) -> str:
    """Return a comparison key for a claim: lower-case words only."""
    return " ".join(words_in(text.lower()))


@dataclass
class _Candidate:
    """A claim-shaped clause of a document, before scoring."""
    index: int  # of the sentence
    start: int
    end: int
    sentence: str
    frame: Frame
    text: str
    words: frozenset[str]


def candidates(sentences: list[tuple[int, int, str]]) -> list[_Candidate]:
    """Return every claim-shaped clause of the segmented document, in reading order."""
    return [_Candidate(index, start, end, sentence, frame, claim, words)
            for index, (start, end, sentence) in enumerate(sentences)
            for frame, claim, words in _clauses(sentence)]


@lru_cache(maxsize=1024)  # ~2.6 MB; 8,192 would hold 21 MB for one more point of hits
def _clauses(sentence: str) -> tuple[tuple[Frame, str, frozenset[str]], ...]:
    """Return a sentence's claim-shaped clauses: (frame, tidied claim, its words).

    Read once per process for a sentence seen again: wire stories repeat one another's sentences (one in six
    of Reuters-21578's, nearly all within the last thousand sentences). The frames are shared, so nothing
    changes them (``_assemble`` replaces a candidate's frame, never edits one).
    """
    found = []
    for frame in frames(sentence):
        claim = clean_claim(frame.claim)
        words = word_set(claim)
        if len(claim) <= MAX_CLAIM_CHARS and looks_like_claim(claim, words):
            found.append((frame, claim, words))
    return tuple(found)


def extract_claims(text: str, *, source: str | None = None, threshold: float | None = None,
                   language: str | None = None) -> list[Claim]:
    """Extract the check-worthy claims of a document, in reading order.

    :param source: the outlet; claims in the article's own voice take it as claimant.
    :param threshold: check-worthiness cut-off (default ``CHECKWORTHY_THRESHOLD``).
    :param language: the document's language; another than English reads language-neutral cues.
    """
    return extract_claims_many([text], sources=[source], threshold=threshold, languages=[language])[0]


def extract_claims_many(
    texts: Sequence[str], *, sources: Sequence[str | None] | None = None, threshold: float | None = None,
    languages: Sequence[str | None] | None = None,
) -> list[list[Claim]]:
    """Extract the claims of many documents; one scoring batch for all is about three times faster.

    :param sources: each document's outlet (default: none).
    :param threshold: check-worthiness cut-off (default ``CHECKWORTHY_THRESHOLD``).
    :param languages: each document's language (default: English rules for all).
    """
    threshold = scorers.checkworthy_threshold() if threshold is None else threshold
    texts = [blank_markup(text) for text in texts]  # "<script>" is no word of the story; offsets stay
    sources = list(sources) if sources is not None else [None] * len(texts)
    english = [is_english(language) for language in (languages or [None] * len(texts))]
    segmented = [segment(text) if en else segment_any(text) for text, en in zip(texts, english)]
    found = [candidates(sentences) if en else [] for sentences, en in zip(segmented, english)]
    scores = iter(scorers.score_sentences([c.text for document in found for c in document]))
    return [
        _assemble(text, source, sentences, document, [next(scores) for _ in document], threshold) if en
        else cue_claims(source, sentences)
        for text, source, sentences, document, en in zip(texts, sources, segmented, found, english)
    ]


def cue_claims(source: str | None, sentences: list[tuple[int, int, str]]) -> list[Claim]:
    """Return the claims of a document in another language: sentences with a figure, a quote or an attribution.

    A sentence in the article's own voice (no quotation, no reporting word) takes the outlet as claimant;
    who speaks in the others is left for the checker.
    """
    claims: list[Claim] = []
    repeats = NearDuplicates()
    for start, end, sentence in sentences:
        text = " ".join(sentence.split())
        found = cues.cues(text) if len(text) <= MAX_CLAIM_CHARS and cues.is_candidate(text) else set()
        if not found:
            continue
        earlier = repeats.find_or_keep(text)
        if earlier is not None:
            claims[earlier].repeats += 1
            continue
        own_voice = source and not found & {"quote", "attribution"}
        claims.append(Claim(text=text, sentence=sentence, start=start, end=end,
                            claimant={"name": source, "kind": "media"} if own_voice else None,
                            claim_type=cues.claim_type(found), score=cues.score(found)))
    return claims


def _assemble(text: str, source: str | None, sentences: list, found: list[_Candidate], scores: list[float],
              threshold: float) -> list[Claim]:
    """Turn one document's scored candidates into claims, resolving claimants in reading order."""
    if not found:
        return []
    resolver = ClaimantResolver(text, source, [start for start, _, _ in sentences])
    claims: list[Claim] = []
    repeats = NearDuplicates()
    speaker: tuple[int, Frame, dict] | None = None  # the last attributed claim: sentence, frame, claimant
    for candidate, raw in zip(found, scores):
        if candidate.frame.who is None and speaker and _continues_quotation(candidate, speaker[0]):
            candidate.frame = Frame(candidate.frame.claim, speaker[1].who, speaker[1].verb, quoted=True)
            claimant = speaker[2]
        else:
            claimant = resolver.resolve(candidate.frame.who, candidate.index, candidate.text)
        if candidate.frame.who and claimant:
            speaker = (candidate.index, candidate.frame, claimant)
        claim = _describe(candidate, claimant, float(raw), threshold)
        if claim is None:
            continue
        earlier = repeats.find_or_keep(claim.text)
        if earlier is None:
            claims.append(claim)
        else:
            claims[earlier].repeats += 1
    return claims


def _continues_quotation(candidate: _Candidate, speaker_sentence: int) -> bool:
    """Tell whether an unattributed sentence that opens with a quote mark goes on quoting the last speaker."""
    return candidate.sentence[:1] in OPEN_QUOTES and candidate.index - speaker_sentence <= PRONOUN_REACH


def _describe(candidate: _Candidate, claimant: dict | None, raw: float, threshold: float) -> Claim | None:
    """Turn a scored candidate into a Claim, or None when it is not a check-worthy factual claim."""
    frame, text, words = candidate.frame, candidate.text, candidate.words
    has_number = bool(DIGIT.search(text))
    hedged = frame.who is None and is_hedged(text, words)  # read once for the score and the vagueness test
    score = adjust_score(raw, text, frame, words, has_number=has_number, hedged=hedged)
    if score < threshold or is_opinion(text, words) or is_vague(text, frame, words, has_number, hedged):
        return None
    found = quantities(text) if has_number or " million" in text or " billion" in text else []
    if frame.who and claimant:
        text = name_the_subject(text, claimant, quoted=frame.quoted)
    return Claim(text=text, sentence=candidate.sentence, start=candidate.start, end=candidate.end,
                 claimant=claimant, claim_type=claim_type(text, frame, found, words), quantities=found,
                 dates=list(_sentence_dates(candidate.sentence)), score=round(score, 4))


@lru_cache(maxsize=256)
def _sentence_dates(sentence: str) -> tuple[str, ...]:
    """Return a sentence's dates, read once for the several claims a sentence can make."""
    return tuple(dates(sentence))
