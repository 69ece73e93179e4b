"""Find check-worthy claims in article text, with who asserts them.

The pipeline per document: segment into sentences (syntok, keeping character
offsets), split each sentence into attribution frames ("X said that Y", "Y,
X said", "according to X, Y", "amid reports that Y"), score the candidate
claims for check-worthiness, and describe the ones above the threshold:
claimant (resolved to the fullest name used in the document), claim type,
quantities and dates.
"""

import re
from dataclasses import asdict, dataclass, field

import syntok.segmenter as segmenter

from review.checkworthiness import CHECKWORTHY_THRESHOLD, score_sentences

__all__ = ["CHECKWORTHY_THRESHOLD", "Claim", "extract_claims", "score_sentences", "segment", "normalize_claim"]

REPORTING_VERBS = (
    "said|says|say|stated|states|state|claimed|claims|claim|reported|reports|report|told|tells|"
    "added|adds|noted|notes|warned|warns|announced|announces|alleged|alleges|insisted|insists|"
    "argued|argues|suggested|suggests|asserted|asserts|declared|declares|confirmed|confirms|"
    "revealed|reveals|wrote|writes|explained|explains|estimated|estimates|maintained|maintains|"
    "acknowledged|acknowledges|denied|denies|contended|contends|emphasized|emphasised|stressed|"
    "pointed out|indicated|indicates|accused|accuses|testified|tweeted|posted"
)
AUX = r"(?:has |have |had |was |were |is |are |will |would |also |reportedly |previously |repeatedly )*"
QUOTES = "\"'“”‘’«»"

# "X said (that) Y" — the speaker is the noun phrase right before the verb.
LEADING = re.compile(
    rf"^(?P<pre>.*?)(?P<who>[^,;:{QUOTES}]+?)\s+{AUX}(?P<verb>{REPORTING_VERBS})\s+(?:on \w+ |last \w+ |earlier \w+ )?"
    rf"(?:that\s+|[:,]\s*[{QUOTES}]?)(?P<claim>.+)$",
    re.S,
)
# "Y, X said (on Sunday)." / "“Y,” X stated ..." / "Y, said X."
TRAILING = re.compile(
    rf"^(?P<claim>.+?)[,;]?\s*[{QUOTES}]?[,]?\s+(?P<who>[^,;{QUOTES}]+?)\s+{AUX}(?P<verb>{REPORTING_VERBS})\b(?P<post>[^{QUOTES}]*)$",
    re.S,
)
TRAILING_INVERTED = re.compile(
    rf"^(?P<claim>.+?),[{QUOTES}]?\s+(?P<verb>said|says|stated|added|noted|wrote|told)\s+(?P<who>[^,.;]+)(?P<post>.*)$", re.S
)
ACCORDING_LEADING = re.compile(r"^(?P<pre>.*?)\bAccording to (?P<who>[^,]+),\s*(?P<claim>.+)$", re.S)
ACCORDING_TRAILING = re.compile(r"^(?P<claim>.+?),?\s+according to (?P<who>[^,.;]+)(?P<post>.*)$", re.S | re.I)
AMID_REPORTS = re.compile(
    r"\b(?:amid|after|following|despite|with)\s+(?P<who>(?:[\w-]+\s+){0,3}?(?:reports|claims|allegations|accounts))\s+that\s+"
    r"(?P<claim>[^.;]+)",
    re.I,
)
# "Syrian media claim 2,500 terrorists were neutralized" (no "that")
BARE_CLAIM = re.compile(
    r"^(?P<who>(?:[A-Z][\w-]*\s+){0,3}(?:media|reports|officials|sources|activists|experts|analysts))\s+"
    r"(?P<verb>claim|claimed|say|said|report|reported|allege|alleged)\s+(?P<claim>.+)$",
    re.S,
)

TITLE_WORDS = {
    "president", "vice", "prime", "minister", "foreign", "defense", "defence", "secretary", "general",
    "senator", "sen.", "rep.", "representative", "governor", "gov.", "mayor", "spokesman", "spokeswoman",
    "spokesperson", "chancellor", "king", "queen", "prince", "sheikh", "ambassador", "chairman", "chair",
    "chief", "executive", "director", "commander", "colonel", "col.", "gen.", "lieutenant", "dr.", "mr.",
    "mrs.", "ms.", "judge", "justice", "speaker", "leader", "deputy", "pope", "cardinal", "envoy", "adviser",
    "advisor", "head", "ceo", "economist", "analyst", "professor", "prof.",
}
MEDIA_WORDS = re.compile(
    r"\b(media|reports?|news|newspapers?|press|tv|television|agency|outlets?|broadcaster|channel|daily|times|"
    r"post|journal|tribune|gazette|herald|radio|reuters|ap|afp|bbc|cnn|tass|ria|sana|rt)\b",
    re.I,
)
ORG_WORDS = re.compile(
    r"\b(ministry|government|military|army|forces|navy|police|group|office|council|party|committee|company|"
    r"corp|corporation|inc|ltd|bank|union|nations|nato|un|eu|commission|department|agency|authority|"
    r"administration|parliament|congress|senate|court|kremlin|pentagon|white house|organization|organisation|"
    r"institute|association|federation|board|league|fund|service|services|headquarters|coalition)\b",
    re.I,
)
UNNAMED_WORDS = re.compile(r"\b(sources?|officials|insiders|people familiar|witnesses|residents|activists|observers|experts|analysts|some)\b", re.I)
PRONOUNS = {"he", "she", "they", "it", "we", "i", "the minister", "the president", "the official"}
DETERMINERS = re.compile(r"^(?:the|a|an|its|his|her|their)\s+", re.I)
LEADING_CONTEXT = re.compile(
    r"^(?:(?:earlier|later|last|this|on|in|at|meanwhile|however|separately|also|but|and|yet|now)\b[^,]*,\s*)+", re.I
)
OPINION = re.compile(
    r"\b(?:is|are|was|were|be|been|seems?|remains?)\s+(?:absolutely\s+|totally\s+|completely\s+|simply\s+|very\s+|so\s+)?"
    r"(?:unacceptable|inadmissible|outrageous|shameful|disgraceful|wrong|right|terrible|great|wonderful|"
    r"awful|ridiculous|absurd|important|essential|necessary|crucial|vital|deplorable|appalling|fantastic|"
    r"irresponsible|unjust|unfair|fair)\b"
    r"|\b(?:we|i)\s+(?:are|am)\s+(?:absolutely\s+)?(?:convinced|sure|certain|confident)\b"
    r"|\b(?:i|we)\s+(?:think|believe|feel|hope|want)\b"
    r"|\b(?:should|must|ought to)\b",
    re.I,
)
CAUSAL = re.compile(r"\b(because|due to|caused|causes|leads? to|led to|resulted in|results in|as a result|thanks to|blamed)\b", re.I)
PREDICTION = re.compile(r"\b(will|would|could|might|may|expected to|is set to|are set to|forecast|predicts?|projected|plans? to|going to)\b", re.I)

NUMBER_WORDS = {"million": 1e6, "billion": 1e9, "trillion": 1e12, "thousand": 1e3, "hundred": 1e2, "mln": 1e6, "bln": 1e9}
QUANTITY = re.compile(
    r"(?P<currency>[$€£¥])?\s?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>million|billion|trillion|thousand|mln|bln))?"
    r"(?:\s?(?P<percent>%|per cent|percent|pct))?"
    r"(?P<unit>(?:\s+(?!(?:in|on|at|of|and|or|the|to|by|from|for|with)\b)[A-Za-z][\w-]*){0,2})?"
)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+(?:{MONTHS})(?:\s+\d{{4}})?|(?:{MONTHS})\s+\d{{4}}"
    r"|(?:in|since|by|until|from|of)\s+(?:19|20)\d{2}|(?:19|20)\d{2}"
    r"|(?:last|this|next)\s+(?:week|month|year|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?:yesterday|today))\b"
)
YEAR_LIKE = re.compile(r"^(?:19|20)\d{2}$")


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

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Frame:
    """A candidate claim inside one sentence: the claim text and who asserts it."""

    claim: str
    who: str | None
    verb: str | None = None


def segment(text: str) -> list[tuple[int, int, str]]:
    """Split text into sentences; return (start, end, sentence) with offsets into ``text``."""
    sentences = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = list(sentence)
            if not tokens:
                continue
            start = tokens[0].offset
            end = tokens[-1].offset + len(tokens[-1].value)
            # A closing quote glued to the next sentence belongs to this one.
            while end < len(text) and text[end] in QUOTES and (end + 1 == len(text) or text[end + 1].isspace()):
                end += 1
            sentences.append((start, end, text[start:end]))
    return _merge_open_quotes(text, sentences)


def _merge_open_quotes(text: str, sentences: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join sentences while a quotation opened in one is closed only in a later one."""
    merged: list[tuple[int, int, str]] = []
    for start, end, sentence in sentences:
        if merged and _open_quote(merged[-1][2]) and len(merged[-1][2]) < 600:
            prev_start = merged[-1][0]
            merged[-1] = (prev_start, end, text[prev_start:end])
        else:
            merged.append((start, end, sentence))
    return merged


def _open_quote(sentence: str) -> bool:
    return sentence.count("“") > sentence.count("”") or sentence.count('"') % 2 == 1


def normalize_claim(text: str) -> str:
    """Return a comparison key for a claim: lower-case words only."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _clean_claim(text: str) -> str:
    text = text.strip().strip(QUOTES + " ,;:").strip()
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"[\s,;:]+$", "", text)
    if text and text[-1] not in ".!?":
        text += "."
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    # Quote marks left unbalanced by cutting the attribution away.
    if text.count("“") != text.count("”"):
        text = text.replace("“", "").replace("”", "")
    if text.count('"') % 2:
        text = text.replace('"', "")
    return text


def _clean_who(who: str) -> str:
    who = LEADING_CONTEXT.sub("", who.strip().strip(QUOTES + " ,"))
    who = re.sub(r"^(?:and|but|while|as|when|who)\s+", "", who, flags=re.I)
    return who.strip()


def _plausible_who(who: str) -> bool:
    if not who or len(who) > 80 or len(who.split()) > 8:
        return False
    if who.lower() in PRONOUNS:
        return True
    return bool(re.search(r"[A-Z]", who)) or bool(MEDIA_WORDS.search(who) or UNNAMED_WORDS.search(who) or ORG_WORDS.search(who))


def frames(sentence: str) -> list[Frame]:
    """Split a sentence into the claims it makes and who makes each."""
    found: list[Frame] = []
    for match in AMID_REPORTS.finditer(sentence):
        found.append(Frame(match.group("claim"), match.group("who"), "report"))
        sentence = sentence[: match.start()].rstrip(" ,") + "."
    for pattern in (ACCORDING_LEADING, ACCORDING_TRAILING):
        match = pattern.match(sentence)
        if match and _plausible_who(match.group("who")):
            return found + [Frame(match.group("claim"), _clean_who(match.group("who")), "according to")]
    match = BARE_CLAIM.match(sentence)
    if match:
        return found + [Frame(match.group("claim"), match.group("who"), match.group("verb"))]
    match = TRAILING_INVERTED.match(sentence)
    if match and _plausible_who(match.group("who")):
        return found + [Frame(match.group("claim"), _clean_who(match.group("who")), match.group("verb"))]
    match = TRAILING.match(sentence)
    if match and _plausible_who(_clean_who(match.group("who"))) and len(match.group("claim")) > 20:
        return found + [Frame(match.group("claim"), _clean_who(match.group("who")), match.group("verb"))]
    match = LEADING.match(sentence)
    if match and _plausible_who(_clean_who(match.group("who"))):
        claim = match.group("claim")
        # "…, emphasizing that Y" is a second claim by the same speaker.
        parts = re.split(r",\s*(?:emphasizing|emphasising|adding|noting|stressing|saying|insisting|arguing) that\s+", claim)
        who = _clean_who(match.group("who"))
        return found + [Frame(part, who, match.group("verb")) for part in parts]
    return found + [Frame(sentence, None)]


def claimant_kind(name: str) -> str:
    """Classify a claimant: person, organization, media, or unnamed source."""
    if MEDIA_WORDS.search(name):
        return "media"
    if UNNAMED_WORDS.search(name) and not re.search(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", name):
        return "unnamed source"
    if ORG_WORDS.search(name) or name.isupper():
        return "organization"
    return "person"


def _strip_titles(name: str) -> str:
    tokens = name.split()
    cut = 0
    for i, token in enumerate(tokens):
        if token.lower().strip(",") in TITLE_WORDS:
            cut = i + 1
    rest = tokens[cut:] or tokens
    return " ".join(rest)


class ClaimantResolver:
    """Resolve short or pronoun claimants to the fullest name used in the document."""

    def __init__(self, text: str):
        self.text = text
        self.last_person: str | None = None

    def fullest(self, surname: str) -> str:
        pattern = re.compile(rf"((?:[A-Z][\w.'’-]*\s+){{1,5}}){re.escape(surname)}\b")
        best = surname
        for match in pattern.finditer(self.text):
            candidate = _strip_titles(match.group(0).strip())
            if candidate.endswith(surname) and len(candidate) > len(best) and len(candidate.split()) <= 4:
                best = candidate
        return best

    def resolve(self, who: str | None, source: str | None) -> dict | None:
        if who is None:
            return {"name": source, "kind": "media"} if source else None
        who = DETERMINERS.sub("", who.strip())
        if who.lower() in PRONOUNS:
            if who.lower() in ("he", "she") and self.last_person:
                return {"name": self.last_person, "kind": "person"}
            return {"name": source, "kind": "media"} if source else None
        kind = claimant_kind(who)
        if kind == "media":
            stripped = re.sub(r"\s+(?:reports?|claims?|accounts?)$", "", who, flags=re.I).strip()
            if stripped and stripped.lower() != "media":  # "Syrian media reports" -> "Syrian media"
                who = stripped
        if kind == "person":
            who = self.fullest(_strip_titles(who))
            self.last_person = who
        if who[:1].islower():
            who = who[0].upper() + who[1:]
        return {"name": who, "kind": kind}


def quantities(text: str) -> list[dict]:
    """Return the numbers a claim states, with what is counted: '2,500 terrorists' -> 2500."""
    found = []
    for match in QUANTITY.finditer(text):
        raw = match.group("number")
        if YEAR_LIKE.match(raw) and not (match.group("currency") or match.group("scale") or match.group("percent")):
            continue
        value = float(raw.replace(",", ""))
        if match.group("scale"):
            value *= NUMBER_WORDS[match.group("scale").lower()]
        unit = (match.group("unit") or "").strip()
        if match.group("percent"):
            unit = "percent"
        elif match.group("currency"):
            unit = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}[match.group("currency")]
        found.append({"text": match.group(0).strip(), "value": int(value) if value.is_integer() else value, "unit": unit})
    return found


def dates(text: str) -> list[str]:
    """Return the date expressions in a claim, as written."""
    seen = []
    for match in DATE.finditer(text):
        value = re.sub(r"^(?:in|since|by|until|from|of|on)\s+", "", match.group(0))
        if value not in seen:
            seen.append(value)
    return seen


def claim_type(claim: str, sentence: str, frame: Frame) -> str:
    """Classify a claim: statistic, quote, attribution, causal, prediction, or event."""
    if quantities(claim):
        return "statistic"
    if frame.who and any(q in sentence for q in "“\"") and frame.verb in ("said", "stated", "says", "told", "added", "wrote"):
        return "quote"
    if CAUSAL.search(claim):
        return "causal"
    if PREDICTION.search(claim):
        return "prediction"
    if frame.who:
        return "attribution"
    return "event"


def is_opinion(claim: str) -> bool:
    """Tell whether a claim is an evaluation or belief rather than a checkable fact."""
    return bool(OPINION.search(claim)) and not quantities(claim)


def extract_claims(text: str, *, source: str | None = None, threshold: float | None = None) -> list[Claim]:
    """Extract the check-worthy claims of a document, in reading order.

    :param source: the outlet; claims in the article's own voice take it as claimant.
    :param threshold: check-worthiness cut-off (default ``CHECKWORTHY_THRESHOLD``).
    """
    threshold = CHECKWORTHY_THRESHOLD if threshold is None else threshold
    resolver = ClaimantResolver(text)
    candidates: list[tuple[int, int, str, Frame, str]] = []
    for start, end, sentence in segment(text):
        for frame in frames(sentence):
            claim = _clean_claim(frame.claim)
            if len(claim.split()) >= 4 and not claim.endswith("?"):
                candidates.append((start, end, sentence, frame, claim))
    scores = score_sentences([claim for *_, claim in candidates])
    claims = []
    for (start, end, sentence, frame, claim), score in zip(candidates, scores):
        claimant = resolver.resolve(frame.who, source)
        if score < threshold or is_opinion(claim):
            continue
        claims.append(
            Claim(text=claim, sentence=sentence, start=start, end=end, claimant=claimant,
                  claim_type=claim_type(claim, sentence, frame), quantities=quantities(claim),
                  dates=dates(sentence), score=round(float(score), 4))
        )
    return claims
