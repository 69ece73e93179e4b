"""Find check-worthy claims in article text, with who asserts them.

The pipeline per document:

1. ``segment`` splits the text into sentences with character offsets: a rule
   splitter tuned on news (abbreviations, "U.S.", initials, decimals, quotes
   that span sentences, hard-wrapped wire copy). On the shared news files it
   finds 96% of syntok's sentence ends (nearly all the others lie inside
   quotations of several sentences, which it keeps whole on purpose) and runs
   about twenty times faster, which the ingest time budget needs.
2. ``frames`` splits each sentence into the claims it makes and who makes
   each: "X said (that) Y", "Y, X said", "Y, said X", "according to X, Y",
   "amid reports that Y"; a sentence with no attribution is the article's own
   voice.
3. The claim texts are scored with ``score_sentences`` (the trained
   check-worthiness model), nudged by a few news rules (see ``adjust_score``),
   and opinions, questions and vague hedges are dropped.
4. The survivors get a claimant, resolved against a name index built once per
   document ("Lavrov" -> "Sergey Lavrov", "he" -> the person who just spoke or
   was last named, "the company" -> the company that spoke), a claim type,
   quantities and dates.

Everything is precompiled regular expressions and dictionary look-ups; no
step scans the whole document per sentence.
"""

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from review.checkworthiness import CHECKWORTHY_THRESHOLD, score_sentences

__all__ = [
    "CHECKWORTHY_THRESHOLD", "Claim", "extract_claims", "extract_claims_many", "score_sentences", "segment",
    "normalize_claim", "quantities", "dates",
]

QUOTES = "\"'“”‘’«»"
OPEN_QUOTES = "\"“‘«"
MAX_MERGED_SENTENCE = 900
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
          "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"


def _words(text: str) -> frozenset[str]:
    """Return the set of space-separated words in text."""
    return frozenset(text.split())


def _alternation(phrases: str) -> str:
    """Return a regex matching any of the "|"-separated phrases, factored into a prefix tree.

    Python's ``re`` tries alternatives one by one; sharing prefixes makes long
    word lists several times faster to search.
    """
    tree: dict = {}
    for phrase in phrases.split("|"):
        node = tree
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _tree_pattern(tree)


def _tree_pattern(node: dict) -> str:
    """Return the regex for one node of the prefix tree."""
    branches = [(r"\s+" if char == " " else re.escape(char)) + _tree_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _any_of(phrases: str, flags: int = 0) -> re.Pattern:
    """Compile a whole-word search for any of the "|"-separated phrases."""
    return re.compile(rf"\b(?:{_alternation(phrases)})\b", flags)


# --------------------------------------------------------------------------
# Sentence segmentation
# --------------------------------------------------------------------------

# A blank line, or a line break followed by indentation (wire copy marks paragraphs so).
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+|\n(?=[ \t]+\S)")
# Terminal punctuation, closing quotes/brackets, space, then something that can start a sentence.
BOUNDARY = re.compile(r"([.!?]+|…)([\"'”’)\]]*)\s+(?=[\"'“‘(\[]*[A-Z0-9])")
DOTTED = re.compile(r"^(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}$")
NEVER_FINAL = _words(
    "mr mrs ms messrs dr prof sen sens rep reps gov gen lt col maj capt cmdr adm sgt cpl pvt brig rev fr hon "
    "st mt ft pres supt insp det e.g i.e vs v cf approx ca"
)
BEFORE_NUMBER = _words("no nos art vol pp p fig ch sec jan feb mar apr jun jul aug sep sept oct nov dec")
MAYBE_FINAL = _words(
    "inc corp co ltd bros jr sr plc llc cos dept univ govt est etc jan feb mar apr jun jul aug sep sept oct nov dec"
)
SENTENCE_STARTERS = _words(
    "The A An It He She They We I You This That These Those There Its His Her Their Our My But And In On At For "
    "As If When While After Before However Meanwhile Also Some Many Most One Other Such What Why How Who So Yet "
    "Still Earlier Later Last According Under With Since By From Both Each Despite Although Officials Analysts "
    "Shares Prices Sales Net Revenue Mr Mrs Ms Dr"
)


def segment(text: str) -> list[tuple[int, int, str]]:
    """Split text into sentences; return (start, end, sentence) with offsets into ``text``."""
    sentences: list[tuple[int, int, str]] = []
    for start, end in _paragraphs(text):
        sentences.extend(_merge_open_quotes(text, _split_paragraph(text, start, end)))
    return sentences


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each paragraph; single line breaks count only in unwrapped text."""
    breaks = PARAGRAPH_BREAK if _hard_wrapped(text) else re.compile(r"\n")
    spans, start = [], 0
    for match in breaks.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def _hard_wrapped(text: str) -> bool:
    """Tell whether line breaks are wrapping (wire copy) rather than paragraph ends."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 3:
        return False
    short = sum(1 for line in lines if len(line) <= 90)
    return short >= 0.8 * len(lines)


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Split one paragraph at sentence boundaries."""
    paragraph = text[start:end]
    out, cursor = [], 0
    for match in BOUNDARY.finditer(paragraph):
        if not _is_boundary(paragraph, match):
            continue
        _append_span(out, text, start + cursor, start + match.end(2))
        cursor = match.end()
    _append_span(out, text, start + cursor, end)
    return out


def _append_span(out: list, text: str, start: int, end: int) -> None:
    """Append text[start:end] without its outer whitespace, unless empty."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end, text[start:end]))


def _is_boundary(paragraph: str, match: re.Match) -> bool:
    """Decide whether a full stop ends a sentence or an abbreviation."""
    if match.group(1) != "." or match.group(2):
        return True
    cut = match.start(1)
    space = max(paragraph.rfind(" ", 0, cut), paragraph.rfind("\n", 0, cut), paragraph.rfind("(", 0, cut))
    word = paragraph[space + 1:cut].lstrip(QUOTES)
    if not word:
        return True
    lower = word.lower()
    following = paragraph[match.end():match.end() + 30].lstrip(QUOTES + "([").split(" ", 1)[0]
    if lower in NEVER_FINAL:
        return False
    if len(word) == 1 and word.isupper():
        return False  # an initial: "John F. Kennedy"
    if lower in BEFORE_NUMBER and following[:1].isdigit():
        return False
    if lower in MAYBE_FINAL or DOTTED.match(word):
        return following.rstrip(",;:") in SENTENCE_STARTERS
    return True


def _merge_open_quotes(text: str, sentences: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join sentences of one paragraph while a quotation opened in one closes only in a later one."""
    merged: list[tuple[int, int, str]] = []
    for start, end, sentence in sentences:
        # A sentence that opens a quotation of its own starts afresh, even if the last one never closed.
        continues = sentence[:1] not in OPEN_QUOTES
        if merged and continues and _open_quote(merged[-1][2]) and end - merged[-1][0] <= MAX_MERGED_SENTENCE:
            first = merged[-1][0]
            merged[-1] = (first, end, text[first:end])
        else:
            merged.append((start, end, sentence))
    return merged


def _open_quote(sentence: str) -> bool:
    """Tell whether the sentence's last quotation mark opens a quotation."""
    opening = sentence.rfind("“")
    closing = sentence.rfind("”")
    if '"' in sentence:
        is_open = False
        for index in (i for i, char in enumerate(sentence) if char == '"'):
            if _opens(sentence, index, is_open):
                opening, is_open = max(opening, index), True
            else:
                closing, is_open = max(closing, index), False
    return opening > closing


def _opens(sentence: str, index: int, is_open: bool) -> bool:
    """Tell whether a straight quote opens: after a space and before a word; if spaced both sides, by state."""
    before = sentence[index - 1] if index else " "
    after = sentence[index + 1] if index + 1 < len(sentence) else " "
    if not (before.isspace() or before in "([—–-"):
        return False
    return not after.isspace() or not is_open


# --------------------------------------------------------------------------
# Attribution frames: who asserts what within one sentence
# --------------------------------------------------------------------------

SAY_VERBS = (
    "said|says|say|told|tells|tell|stated|states|claimed|claims|claim|reported|reports|report|added|adds|noted|"
    "notes|note|warned|warns|warn|announced|announces|alleged|alleges|allege|insisted|insists|insist|argued|"
    "argues|argue|suggested|suggests|suggest|asserted|asserts|assert|declared|declares|confirmed|confirms|confirm|"
    "revealed|reveals|wrote|writes|explained|explains|estimated|estimates|estimate|maintained|maintains|maintain|"
    "acknowledged|acknowledges|admitted|admits|admit|contended|contends|contend|emphasized|emphasised|"
    "emphasizes|emphasises|stressed|stresses|pointed out|indicated|indicates|testified|tweeted|predicted|"
    "predicts|predict|forecast|forecasts|projected|showed|shows|found|finds"
)
# Verbs whose object is not a claim by the subject taken at face value: keep the whole sentence.
FRAMING_VERBS = (
    "denied|denies|accused|accuses|blamed|blames|described|describes|labeled|labelled|branded|rejected|disputed"
)
VERB_PREFIXES = (
    "has|have|had|was|were|is|are|also|reportedly|previously|repeatedly|later|earlier|then|again|further|"
    "publicly|recently|separately|officially|once|yet|already|privately|openly"
)
ATTRIBUTION_VERB = re.compile(
    rf"\b(?:(?:{_alternation(VERB_PREFIXES)})\s+){{0,3}}"
    rf"(?P<verb>{_alternation(SAY_VERBS + '|' + FRAMING_VERBS)}|quoted(?: [^,.;]{{0,40}}?)? as saying)\b"
)
FRAMING = _words(FRAMING_VERBS.replace("|", " "))
DATA_VERBS = _words("showed shows found finds")
DATA_NOUNS = _any_of(
    "study|studies|survey|report|poll|data|figures|research|statistics|census|analysis|review|"
    "investigation|inquiry|audit|results|test|tests|records|documents", re.I
)
OBJECT_VERBS = _words("told tells tell")
NEEDS_THAT = _words(
    "maintain maintains maintained argue argues argued admit admits admitted acknowledged acknowledges indicated "
    "indicates explained explains stressed stresses emphasized emphasised emphasizes emphasises revealed reveals "
    "testified insist insists insisted assert asserts asserted contend contends contended"
)
IMPERSONAL = re.compile(r"(?:is|was|has been|had been|are|were)\s")
OBJECT_TAKING = _words(
    "forecast forecasts predicted predicts predict estimated estimates estimate projected announced announces "
    "revealed reveals confirmed confirms confirm reported reports report"
)
COMPLEMENT = re.compile(
    r"^(?:\s+(?:on|in|at|during|after|before|through|via|from|to)\b(?:\s+[^\s,;:“”\"]+){0,6}?)?"
    r"(?:\s+that\s+|\s*:\s*|\s*,\s*(?=[\"“])|\s+(?=[\"“]))(?P<claim>.+)$",
    re.S,
)
TOLD_THAT = re.compile(r"^(?:\s+[^\s,;:“”\"]+){1,8}?\s+that\s+(?P<claim>.+)$", re.S)
# Who was told: "told reporters", "told Reuters", "told a news conference in Doha".
TOLD_OBJECT = re.compile(
    r"\s+(?:(?:the\s+)?(?:Reuters|BBC|AFP|AP|CNN|TASS|Xinhua|Interfax|Bloomberg|RIA Novosti)\b|reporters|"
    r"journalists|lawmakers|legislators|parliament|investors|analysts|shareholders|the press|him|her|them|me|us|"
    r"(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:conference|meeting|briefing|forum|newspaper|"
    r"agency|gathering|rally|committee|audience|channel|radio|television|station|assembly|court|hearing|"
    r"summit|senate|congress|reporters|journalists|crowd|delegates|interviewer|newsletter|magazine|paper|"
    r"daily|weekly|parliament|lawmakers|investors|analysts|shareholders|members)|"
    r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
)
# After "Y, X said": what may follow the verb without it being a claim of its own.
TAIL = re.compile(
    r"^\s*(?:[.!?;:]?[”\"’]?\s*$|[,;(—–-]|(?:on|in|at|last|this|earlier|late|during|after|before|while|when|"
    r"as|adding|according|citing|referring|without|but|yesterday|today|tonight|recently|previously|"
    r"separately|here|there|now|then|later|again)\b)",
    re.S,
)
TRAILING_LEFT = re.compile(
    r"^(?P<claim>.*?\S)\s*(?:,\s*[\"”’]|[\"”’]\s*,|,|[\"”’])\s+(?P<who>[^,\"“”;:]+?)\s*$", re.S
)
INVERTED_RIGHT = re.compile(r"^\s+(?P<who>[^,.;:“”\"(]+?)\s*(?:[,.;:(—–].*)?$", re.S)
ENDS_WITH_SEPARATOR = re.compile(r"(?:,\s*[\"”’]?|[\"”’]\s*,?)\s*$")
# "said on Monday", "said in a statement", "told a news conference on Sunday": not part of the claim.
MODIFIER = re.compile(
    rf"^(?:\s+(?:(?:on|last|this|earlier|late|early)\s+(?:this\s+)?(?:{DAYS}|week|month|year|night|morning|"
    rf"afternoon|evening|weekend|{MONTHS})(?:\s+\d{{1,2}})?|yesterday|today|tonight|"
    r"in (?:a|an|its|his|her|their|the) (?:[\w-]+\s+){0,2}?(?:statement|interview|report|letter|speech|filing|"
    r"release|note|review|broadcast|address|post|message|testimony|circular)|"
    r"at (?:a|an|the) (?:[\w-]+\s+){0,2}?(?:conference|briefing|meeting|hearing|summit|rally|event|forum))"
    r"\b,?){0,3}"
)
AUX_START = re.compile(
    r"^\s*(?:have|has|had|is|are|was|were|will|would|can|could|may|might|should|must|does|do|did|that|which|"
    r"who|of|for|to|by|with|from|as|and|or|but|against|about|over|into|on|in|at|through|under|up|out|off|"
    r"[.,;:!?)])(?:\b|\s|$)", re.I
)
SECOND_CLAIM = re.compile(
    r",?\s*(?:and\s+)?(?:adding|emphasi[sz]ing|noting|stressing|saying|insisting|arguing|warning|explaining)"
    r"\s+that\s+|,?\s+(?:and|but)\s+(?:also\s+)?(?:said|added|stressed|noted|warned|insisted)(?:\s+that)?\s+"
    r"|,?\s+(?:and|but)\s+that\s+"
)
NESTED_TRAILING = re.compile(
    r"(?:,\s*[\"”’]?|[\"”’]\s*,?)\s+(?P<who>[^,\"“”]{2,60}?)\s+(?:has\s+|had\s+)?"
    r"(?:said|says|added|reported)"
    r"(?:\s+(?:on|last|this|in|at)\b[^,\"“”]{0,40})?\s*[.]?\s*$"
)
PROPER_NAME = re.compile(r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al|bin))+")
PARENTHESES = re.compile(r"\s*\([^()]*\)")
CLAUSE_COMMA = re.compile(r",(?!\d)")  # not the comma of "1,943"
CLAUSE_BREAK = re.compile(r",(?!\d)|[;:—–(“”\"]")
TRAILING_ADVERB = re.compile(r"(?:\s+(?:still|also|now|again|later|earlier|recently|previously|reportedly|then|too|"
                             r"already|today|yesterday|separately|similarly|likewise))+$", re.I)
BASE_VERBS = _words(
    "say claim report tell note warn allege insist argue suggest assert confirm estimate maintain admit contend "
    "predict"
)
AMID_REPORTS = re.compile(
    r"(?:,\s*)?\b(?:amid|amidst|after|following|despite|with|over)\s+"
    r"(?P<who>(?:[\w’'.-]+\s+){0,3}?(?:reports|claims|allegations|accounts|rumou?rs|suggestions))\s+that\s+"
    r"(?P<claim>.+)$",
    re.I | re.S,
)
ACCORDING = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;:]+?)\s*(?:[,.;:]|$)")
SUBORDINATOR = re.compile(
    r"^.*\b(?:after|before|because|that|which|who|whom|when|if|while|although|though|since|until|as|where|"
    r"than|what|whether|once|unless|so)\s+",
    re.I | re.S,
)
LEADING_CONTEXT = re.compile(
    r"^(?:(?:and|but|yet|so|also|however|meanwhile|separately|earlier|later|now|then|still|instead|indeed|"
    r"moreover|furthermore|similarly|likewise|additionally|finally|in addition|in a statement|on \w+|last \w+|"
    r"this \w+|earlier this \w+)\b[\s,]*)+",
    re.I,
)
# "a poll posing the question ...", "figures released by ...": the source is the noun before the modifier.
NP_MODIFIER = re.compile(
    r"\s+(?:which|that|who|posing|asking|published|released|conducted|commissioned|carried|cited|seen|obtained|"
    r"issued|compiled|prepared)\b"
)
DATA_BY = re.compile(
    r"^(?:[\w'’-]+\s+){0,3}?(?:study|studies|survey|report|poll|data|figures|research|statistics|census|analysis|"
    r"review|results)\s+(?:(?:gathered|compiled|published|released|conducted|carried out|commissioned|issued|"
    r"prepared)\s+)?(?:by|from)\s+(?P<agent>.+)$", re.I)
SHARE_OF_PEOPLE = re.compile(r"^(?:another\s+|only\s+|some\s+)?\d[\d.,]*\s*(?:%|pct|percent|per cent)", re.I)
INDEFINITE = re.compile(r"^\s*(?:a|an)\s", re.I)
NOT_IN_WHO = _words(
    "is was were are be been being has have had will would can could may might should must do does did not "
    "to that which who whom whose when where if while because after before than rose fell said says told "
    "gave made took went came got it's there here very more less would've isn't wasn't i you we"
)
PRONOUNS = _words("he she they it we i you")
_CAPITALIZED = r"[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*"
CAPITALIZED_WORDS = re.compile(rf"^{_CAPITALIZED}$")
NAME_LIST = re.compile(rf"^{_CAPITALIZED}(?:,\s+{_CAPITALIZED})*,?\s+and\s+{_CAPITALIZED}$")
LIST_STOPS = _words("in on at from for by with after before during under to of as but and yet so")  # "In Rome, ..."
ORG_SUFFIX = re.compile(r"\b(?:Co|Cos|Inc|Corp|Corporation|Ltd|Plc|PLC|NV|AG|SA|LLC|LP|Group|Association|Partnership|Committee|Commission|Bank|Fund|Trust|Services)\b\.?$")
LIST_SPLIT = re.compile(r",\s+and\s+|,\s+|\s+and\s+")
DETERMINERS = _words("the a an this that these those its his her their our my your")


@dataclass
class Frame:
    """A candidate claim inside one sentence: the claim text and who asserts it."""

    claim: str
    who: str | None
    verb: str | None = None
    quoted: bool = False


def frames(sentence: str) -> list[Frame]:
    """Split a sentence into the claims it makes and who makes each."""
    reported: list[Frame] = []
    amid = AMID_REPORTS.search(sentence) if " that " in sentence else None
    if amid:
        reported.append(Frame(amid.group("claim"), amid.group("who"), "report"))
        sentence = sentence[: amid.start()]
    return _main_frames(sentence) + reported


def _main_frames(sentence: str) -> list[Frame]:
    """Read the main clause's attribution: "according to X", a reporting verb, or none."""
    according = ACCORDING.search(sentence) if "ccording to" in sentence else None
    who = NP_MODIFIER.split(according.group("who"), 1)[0] if according else ""
    if according and _plausible_who(who):
        before = sentence[: according.start()].rstrip(" ,")
        after = sentence[according.end():].lstrip(" ,")
        claim = f"{before} {after}" if before and not LEADING_CONTEXT.fullmatch(before + " ") else after
        return [Frame(claim, who, "according to")]
    for match in ATTRIBUTION_VERB.finditer(sentence):
        parsed = _frame_at(sentence, match)
        if parsed:
            return parsed
    return [Frame(sentence, None)]


def _frame_at(sentence: str, match: re.Match) -> list[Frame] | None:
    """Read the attribution around one reporting verb; None when it is not one."""
    verb = match.group("verb")
    left, right = sentence[: match.start()], sentence[match.end():]
    if left.strip() == "It" and IMPERSONAL.match(match.group(0)):  # "It is estimated that ...": no one named
        right = right[MODIFIER.match(right).end():]
        complement = COMPLEMENT.match(right)
        return [Frame(complement.group("claim") if complement else right, None, verb)]
    if verb in FRAMING:
        who = _leading_who(left, verb)
        return [Frame(LEADING_CONTEXT.sub("", sentence), who, verb)] if who else None
    if verb in DATA_VERBS and not DATA_NOUNS.search(_leading_who(left, verb) or ""):
        return None
    if verb in OBJECT_VERBS:  # "told reporters", "told a news conference": skip the listener
        told_that = TOLD_THAT.match(right)
        if told_that:
            return _leading_frames(sentence, left, told_that.group("claim"), verb)
        listener = TOLD_OBJECT.match(right)
        if not listener:
            return None
        right = right[listener.end():]
    right = right[MODIFIER.match(right).end():]
    complement = COMPLEMENT.match(right)
    if complement and len(complement.group("claim").split()) >= 3:
        return _leading_frames(sentence, left, complement.group("claim"), verb)
    if ENDS_WITH_SEPARATOR.search(left) and left.strip(QUOTES + " ,"):
        inverted = _inverted_frames(left, right, verb)
        if inverted:
            return inverted
    if TAIL.match(right):
        return _trailing_frames(left, verb)
    if AUX_START.match(right) or len(right.split()) < 3:
        return None
    if verb in OBJECT_TAKING:  # "X reported a profit of ...": the object is no clause, keep the sentence
        who = _leading_who(left, verb)
        return [Frame(LEADING_CONTEXT.sub("", sentence), who, verb)] if who else None
    if verb in NEEDS_THAT:  # "he maintains his form", "she stressed the need": no claim without "that"
        return None
    return _leading_frames(sentence, left, right, verb)


def _leading_frames(sentence: str, left: str, claim: str, verb: str) -> list[Frame] | None:
    """Read "X said (that) Y"."""
    who = _leading_who(left, verb)
    if not who:
        return None
    if AUX_START.match(claim):  # "say that will not happen": "that" is the subject
        return [Frame(sentence, who, verb)]
    nested = NESTED_TRAILING.search(claim)  # "X told Y that Z, a spokesman said."
    if nested and _plausible_who(nested.group("who")):
        claim = claim[: nested.start()]
    parts = SECOND_CLAIM.split(claim) if (" that " in claim or " said " in claim) else [claim]
    return [Frame(part, who, verb, _is_quoted(part)) for part in parts if part and part.strip()]


def _inverted_frames(left: str, right: str, verb: str) -> list[Frame] | None:
    """Read "Y, said X" and "“Y,” said X, the minister"."""
    inverted = INVERTED_RIGHT.match(right)
    if inverted and _plausible_who(inverted.group("who")):
        return [Frame(left, inverted.group("who"), verb, _is_quoted(left))]
    return None


def _trailing_frames(left: str, verb: str) -> list[Frame] | None:
    """Read "Y, X said" and "“Y,” Name, the chief executive, said"."""
    trailing = TRAILING_LEFT.match(left)
    if not trailing:
        return None
    claim, who = trailing.group("claim"), _drop_parentheses(trailing.group("who"))
    named = TRAILING_LEFT.match(claim)
    if named and PROPER_NAME.fullmatch(named.group("who").strip()) and not PROPER_NAME.fullmatch(who):
        claim, who = named.group("claim"), named.group("who")  # the speaker's role came after the name
    if _plausible_who(who) and len(claim) > 15 and _takes_verb(who, verb):
        return [Frame(claim, who, verb, _is_quoted(claim))]
    return None


def _is_quoted(claim: str) -> bool:
    """Tell whether a claim is (or ends) a direct quotation."""
    stripped = claim.strip()
    return stripped[:1] in OPEN_QUOTES or (stripped[-2:-1] in "”\"" or stripped[-1:] in "”\"")


def _leading_who(left: str, verb: str) -> str | None:
    """Return the speaker in "<who> said ...": the noun phrase before the verb."""
    left = _drop_parentheses(left).strip()
    if not left:
        return None
    if left.endswith(","):  # "Smith, the chief executive, said": drop the apposition
        body = left[:-1]
        commas = [m.start() for m in CLAUSE_COMMA.finditer(body)]
        left = body[:commas[-1]] if commas else body
    segments = CLAUSE_BREAK.split(left)
    who = _name_list(segments) or segments[-1]
    if len(segments) > 1 and INDEFINITE.match(who):  # "Hughes Corp, a unit of Hughes Capital, said"
        who = segments[-2]
    who = SUBORDINATOR.sub("", who)
    who = TRAILING_ADVERB.sub("", LEADING_CONTEXT.sub("", who.strip())).strip()
    if who.count(" ") and who.rsplit(" ", 1)[1].lower() in PRONOUNS:  # "Laying into the record he said"
        who = who.rsplit(" ", 1)[1]
    return who if _plausible_who(who) and _takes_verb(who, verb) else None


def _name_list(segments: list[str]) -> str | None:
    """Return "Senators Garn, Shelby and Heinz" when the last comma-separated parts list names, else None."""
    last = segments[-1].strip()
    if len(segments) < 2 or not (" and " in last or last.startswith("and ")):
        return None
    items = []
    for segment in reversed(segments[:-1]):
        segment = segment.strip()
        if not CAPITALIZED_WORDS.match(segment) or segment.split()[0].lower() in LIST_STOPS:
            break
        items.insert(0, segment)
    listed = ", ".join(items + [last])
    return listed if items and NAME_LIST.match(listed) else None


def _takes_verb(who: str, verb: str) -> bool:
    """Tell whether a subject agrees with a plain verb form ("analysts say", not "the loan note")."""
    if verb not in BASE_VERBS or NAME_LIST.match(who):
        return True
    last = who.split()[-1].lower()
    return last in ("they", "we", "i", "you") or (last.endswith("s") and not last.endswith("ss"))


def _drop_parentheses(text: str) -> str:
    """Remove parenthetical asides: "the bank (IADB)" -> "the bank"."""
    return PARENTHESES.sub("", text) if "(" in text else text


def _plausible_who(who: str) -> bool:
    """Tell whether a phrase can name a speaker (not a clause that happens to precede a verb)."""
    words = who.split()
    if not 1 <= len(words) <= 9:
        return False
    lowered = [w.lower().strip(QUOTES) for w in words]
    if len(words) == 1 and lowered[0] in PRONOUNS:
        return lowered[0] not in ("i", "you", "we")
    if any(w in NOT_IN_WHO for w in lowered) or SHARE_OF_PEOPLE.match(who) or lowered[-1] in DETERMINERS:
        return False
    return any(w[:1].isupper() for w in words) or bool(SOURCE_HEADS.search(who) or DATA_NOUNS.search(who))


# --------------------------------------------------------------------------
# Claimants: kinds, and a per-document index of the names it uses
# --------------------------------------------------------------------------

MEDIA_WORDS = (
    "media|report|reports|news|newspaper|newspapers|paper|press|tv|television|broadcaster|channel|daily|radio|"
    "reuters|ap|afp|bbc|cnn|tass|ria|interfax|xinhua|sana|rt|al jazeera|bloomberg|times|post|journal|gazette|"
    "herald|tribune|telegraph|guardian|izvestia|pravda|kommersant|nbc|abc|cbs|fox news|sky news|dpa|kyodo|"
    "yonhap|irna|anadolu|itar-tass"
)
UNNAMED_WORDS = (
    "source|sources|official|officials|insiders|people|witnesses|residents|activists|observers|experts|analysts|"
    "traders|dealers|economists|diplomats|bankers|spokesman|spokeswoman|spokesperson|critics|some|others|aide|"
    "aides|executives|investigators|researchers|scientists|doctors|lawmakers|members|representatives|"
    "participants|brokers|lawyer|lawyers|attorney|attorneys|prosecutors|officers|employees|workers|leaders|"
    "farmers|producers|exporters|importers|buyers|sellers|users|consumers|voters|investors|shareholders"
)
ORGANIZATION_WORDS = (
    "ministry|government|military|army|forces|navy|police|group|office|council|party|committee|company|corp|"
    "corporation|inc|ltd|co|plc|llc|bank|union|nations|nato|un|eu|commission|department|agency|authority|"
    "authorities|administration|parliament|congress|senate|court|kremlin|pentagon|white house|organization|"
    "organisation|institute|association|federation|board|league|fund|service|services|headquarters|coalition|"
    "cabinet|treasury|firm|exchange|university|foundation|centre|center|bureau|opec|imf|who|ministers|"
    "organisations|organizations|companies|groups|banks|governments|ministries|agencies|firms|parties|unions|"
    "leadership|regime|junta|embassy|consulate|mission|secretariat|directorate|trust|holdings|industries|"
    "airline|airlines|motors|systems|international|statistics|oy|ab|ag|sa|nv|gmbh|spa|bv|asa|kk|lp|"
    "partners|petroleum|oil|energy|steel|electric|chemical|chemicals|pharmaceuticals|communications|technologies"
)
MEDIA = _any_of(MEDIA_WORDS, re.I)
UNNAMED = _any_of(UNNAMED_WORDS, re.I)
ORGANIZATION = _any_of(ORGANIZATION_WORDS, re.I)
SOURCE_HEADS = _any_of(f"{MEDIA_WORDS}|{UNNAMED_WORDS}|{ORGANIZATION_WORDS}", re.I)
GOVERNMENTS = _words(
    "Moscow Washington Beijing Kyiv Kiev Tehran Damascus London Paris Berlin Tokyo Brussels Ankara Jerusalem "
    "Riyadh Cairo Baghdad Kabul Islamabad Delhi Seoul Pyongyang Taipei Rome Madrid Ottawa Canberra Havana "
    "Caracas Minsk Warsaw Budapest Athens Doha Abu Russia China Ukraine Iran Syria Turkey Türkiye Israel "
    "Britain Germany France Japan India Pakistan Iraq Afghanistan Egypt Qatar Brazil Mexico Canada Australia "
    "Italy Spain Poland Belarus Venezuela Cuba Libya Lebanon Jordan Yemen Sudan Nigeria Kenya Ethiopia "
    "America US U.S. USA UK U.K. EU Argentina Chile Peru Colombia Ecuador Bolivia Uruguay Paraguay Indonesia "
    "Malaysia Singapore Thailand Vietnam Philippines Korea Taiwan Bangladesh Nepal Myanmar Kazakhstan Georgia "
    "Armenia Azerbaijan Moldova Romania Bulgaria Hungary Austria Switzerland Netherlands Belgium Luxembourg "
    "Denmark Norway Sweden Finland Iceland Ireland Portugal Greece Cyprus Serbia Croatia Bosnia Slovenia "
    "Slovakia Czechia Lithuania Latvia Estonia Algeria Morocco Tunisia Ghana Senegal Angola Zimbabwe Zambia "
    "Uganda Tanzania Somalia Kuwait Bahrain Oman Emirates Zealand"
)
PLURAL_TITLES = _words(
    "senators sens ministers governors mayors congressmen congresswomen representatives reps judges justices "
    "ambassadors envoys generals presidents chancellors commanders directors"
)
PERSON_TITLES = _words(
    "president vice prime minister foreign defense defence interior finance economy economic trade secretary "
    "general senator sen. sen rep. rep representative congressman congresswoman governor gov. gov mayor "
    "spokesman spokeswoman spokesperson chancellor king queen prince princess sheikh emir ambassador "
    "chairman chairwoman chair chief executive director commander colonel col. general gen. gen lieutenant "
    "lt. dr. dr mr. mr mrs. mrs ms. ms miss judge justice speaker leader deputy pope cardinal envoy adviser "
    "advisor head ceo cfo coo economist analyst professor prof. prof sir lord lady dame attorney state "
    "former acting russian american syrian iranian turkish british chinese french german israeli "
    "palestinian ukrainian us u.s. foreign-minister premier opposition officer manager founder owner "
    "president-elect first lady labour conservative democratic republican democrat republican senior "
    "treasury health education energy agriculture environment transport justice culture labor labour "
    "investor lawyer councillor councilman councilwoman broker trader consultant editor correspondent reporter "
    "lead partner exchequer strategist official inspector commissioner superintendent detective sheriff "
    "sergeant coach candidate nominee activist campaigner writer author historian researcher scientist "
    "doctor surgeon vice-chairman vice-president treasurer controller secretary-general rapporteur mp mep "
    "assemblyman delegate bishop archbishop rabbi imam cleric ayatollah chief-executive managing "
    "of the"
)
TITLE_LINKS = _words("of the")
PERSON_ROLES = _words(
    "chief executive president minister chairman chairwoman director spokesman spokeswoman spokesperson analyst "
    "economist professor secretary governor senator manager lawyer attorney editor head leader founder "
    "ambassador adviser advisor commissioner mayor judge correspondent researcher strategist partner treasurer "
    "officer investor broker trader consultant deputy vice-president vice-chairman"
)
APPOSITIVE_ROLE = re.compile(
    rf",\s+(?:the|a|an|its|his|her|their)?\s*(?:[\w.'’&-]+\s+){{0,4}}?(?:{_alternation('|'.join(PERSON_ROLES))})\b"
)
NAME_PARTICLES = "al|bin|ibn|de|del|della|da|dos|du|van|von|der|den|la|le|di|el"
NAME_TOKEN = (
    r"(?:(?:[A-Z]\.){2,}|(?:Mrs|Mr|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Col|Lt|Capt|Prof)\.|[A-Z]\.(?=[ \t]+[A-Z])"
    r"|[A-Z][\w’'-]*|(?:al|el)-[A-Z][\w-]*)"
)
NAME_RUN = re.compile(
    rf"(?<![\w’'-]){NAME_TOKEN}(?:[ \t\n]+(?:(?:{NAME_PARTICLES})[ \t\n]+)?{NAME_TOKEN})*"
)
ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z][A-Z0-9&.-]{1,9})\)")
HYPHEN = re.compile(r"[-/]")
ACRONYM_FILLERS = _words("of for and the de on in al el du des la le del & und et")
POSSESSIVE = re.compile(r"[’']s?$")
DETERMINER = re.compile(r"^(?:the|a|an|its|his|her|their|one|some|several|two|three|many)\s+", re.I)
REPORT_SUFFIX = re.compile(r"\s+(?:reports?|claims?|accounts?)$", re.I)
OWNED_DOCUMENT = re.compile(
    r"^(?:the\s+)?(?P<owner>.+?)['’]s?\s+(?:(?:annual|latest|monthly|quarterly|weekly|official|new|first|final|"
    r"preliminary|draft|own)\s+)*(?:report|statement|survey|figures|data|study|review|bulletin|newsletter|website|"
    r"filing|prospectus|accounts|results|budget|announcement|spokes(?:man|woman|person))$",
    re.I,
)
SPOKESPERSON_FOR = re.compile(
    r"^(?:a|an|the)?\s*(?:[\w-]+\s+){0,2}?spokes(?:man|woman|person)\s+(?:for|of|at)\s+(?P<org>.+)$", re.I
)
ORG_SPOKESPERSON = re.compile(
    r"^(?:a|an|the)?\s*(?:senior\s+|top\s+|chief\s+)?(?P<org>(?:[A-Z][\w.&'’-]*\s+){1,5}?)"
    r"spokes(?:man|woman|person)$"
)
HEAD_CUT = re.compile(r"\s+(?:of|for|at|with|from|in|contacted|familiar|close|who|which|based|representing)\s+")
NAME_TAIL = re.compile(
    r"^(?:[A-Z][\w.-]*['’]s\s+)?(?:[a-z][\w-]*\s+)+(?P<name>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*)$"
)
THE = re.compile(r"^the\s+", re.I)
PRONOUN_REACH = 2  # sentences back in which a speaker is still "he" or "she"
BARE_REPORTS = _words("reports claims allegations accounts rumours rumors suggestions")
PERSONAL_CLAIM = re.compile(r"^(?:He|She|His|Her)\b")  # "Smith said he ...": Smith is a person
IT_CLAIM = re.compile(r"(?:it|its)\b", re.I)
GENERIC_ORGS = _words(
    "company firm group bank ministry government military army agency department council commission party "
    "court union fund board committee administration authority authorities police office organisation "
    "organization corporation airline carrier exchange regime kremlin cabinet navy institute association "
    "federation utility insurer brokerage lender retailer bank builder manufacturer maker producer supplier "
    "operator broadcaster chain"
)
COMPANY_LIKE = _words("company firm group corporation carrier airline utility insurer brokerage lender retailer "
                      "builder manufacturer maker producer supplier operator chain")
NOT_A_NAME = _words(
    "The A An This That These Those It He She They We I But And In On At For As If When While After Before "
    "However Meanwhile Also Some Many Most One Other Such What Why How Who So Yet Still Earlier Later Last "
    "According Under With Since By From Both Each Despite Although Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November December "
    "Shares Prices Sales Net Revenue Reuter Reuters"
)


TWO_CAPITALIZED = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
ACRONYM = re.compile(r"[A-Z][A-Z.&-]{1,9}")
WORD = re.compile(r"\w+")


def claimant_kind(name: str) -> str:
    """Classify a claimant: person, organization, media, or unnamed source."""
    if MEDIA.search(name):
        return "media"
    has_name = bool(TWO_CAPITALIZED.search(name))
    if UNNAMED.search(name) and not has_name:
        return "unnamed source"
    if ORGANIZATION.search(name) or name in GOVERNMENTS or ACRONYM.fullmatch(name):
        return "organization"
    return "person"


@dataclass
class Mention:
    """A person named in the document: where, and under the fullest name used for them."""

    position: int
    name: str


class NameIndex:
    """The people and organizations a document names, built in one pass over its text."""

    def __init__(self, text: str):
        self.people: dict[str, str] = {}  # surname or full name -> fullest person name
        self.orgs: dict[str, str] = {}  # acronym, first words or full name -> fullest org name
        self.roles: dict[str, str] = {}  # "foreign minister" -> "Sergey Lavrov"
        self.titled: set[str] = set()  # people named with a title somewhere ("President Bashar Assad")
        self.mentions: list[Mention] = []
        singles: list[tuple[int, str, bool]] = []
        for match in NAME_RUN.finditer(text):
            self._add_run(text, match, singles)
        for position, token, titled in singles:
            fullest = self.people.get(token)
            if fullest or titled:
                self.people.setdefault(token, token)
                if titled:
                    self.titled.add(self.people[token])
                self.mentions.append(Mention(position, fullest or token))
        self.mentions.sort(key=lambda m: m.position)
        self._positions = [m.position for m in self.mentions]

    def _add_run(self, text: str, match: re.Match, singles: list) -> None:
        """Index one run of capitalized words as a person, an organization, or a lone name to decide later."""
        tokens = [POSSESSIVE.sub("", t) for t in match.group(0).split()]
        while tokens and tokens[0] in NOT_A_NAME:
            tokens.pop(0)
        if not tokens:
            return
        titles, name = _split_titles(tokens)
        if not titles and _has_role_nearby(text, match):  # "Smith, the chief executive", "analyst Jo Lee"
            titles = ["(role)"]
        acronym = ACRONYM_AFTER.match(text, match.end())
        full, joined = " ".join(tokens), " ".join(name)
        if acronym:
            letters = acronym.group("acronym")
            self._add_org(_expand_acronym(text, match.end(), letters) or full, letters)
            return
        if ORGANIZATION.search(joined) or MEDIA.search(joined):  # "Foreign Ministry", not "Judge Eugene Gordon"
            self._add_org(full, None)
            return
        if len(name) == 1:
            singles.append((match.start(), name[0], bool(titles)))
            return
        if not name or len(name) > 4 or any(t in GOVERNMENTS for t in name):
            return
        person = " ".join(name)
        for key in (name[-1], person):
            if len(person) > len(self.people.get(key, "")):
                self.people[key] = person
        if titles:
            self._add_roles([t for t in titles if t != "(role)"], person)
            self.titled.add(person)
        self.mentions.append(Mention(match.start(), person))

    def _add_org(self, name: str, acronym: str | None) -> None:
        """Index an organization under its acronym, its full name and its first words."""
        words = name.split()
        keys = [name, acronym] + [" ".join(words[:n]) for n in range(1, len(words))]
        for key in filter(None, keys):
            if key not in self.orgs or (key == acronym and len(name) > len(self.orgs[key])):
                self.orgs[key] = name

    def _add_roles(self, titles: list[str], person: str) -> None:
        """Index a person under their titles: "foreign minister", "minister"."""
        lowered = [t.lower() for t in titles]
        for n in range(1, len(lowered) + 1):
            self.roles.setdefault(" ".join(lowered[-n:]), person)

    def fullest_person(self, name: str) -> str:
        """Return the fullest form of a person's name used in the document."""
        return self.people.get(name) or self.people.get(name.split()[-1], name) if name else name

    def fullest_org(self, name: str) -> str | None:
        """Return the fullest form of an organization's name, or None when it is not one named here."""
        return self.orgs.get(name)

    def person_before(self, sentence_index: int, sentence_starts: list[int]) -> str | None:
        """Return the first person named in the nearest earlier sentence that names one (its likely subject)."""
        index = bisect_right(self._positions, sentence_starts[sentence_index] - 1) - 1
        if index < 0:
            return None
        sentence_start = sentence_starts[bisect_right(sentence_starts, self.mentions[index].position) - 1]
        while index > 0 and self.mentions[index - 1].position >= sentence_start:
            index -= 1
        return self.mentions[index].name


def _has_role_nearby(text: str, match: re.Match) -> bool:
    """Tell whether a name has a person's role in apposition or just before it."""
    if APPOSITIVE_ROLE.match(text, match.end()):
        return True
    before = text[max(0, match.start() - 30):match.start()].split()
    return bool(before) and before[-1].lower() in PERSON_ROLES


def _expand_acronym(text: str, end: int, acronym: str) -> str | None:
    """Return the words before "(ECLAC)" whose capitals spell it: "Economic Commission for ... Caribbean"."""
    letters = acronym.replace(".", "").replace("&", "").upper()
    words = text[max(0, end - 160):end].split()
    initials = ""
    for i in range(len(words) - 1, -1, -1):
        capitals = "".join(part[0] for part in HYPHEN.split(words[i]) if part[:1].isupper())
        if not capitals:
            if words[i].lower() in ACRONYM_FILLERS:
                continue
            return None
        initials = capitals + initials
        if initials == letters:
            return " ".join(words[i:])
        if not letters.endswith(initials):
            return None
    return None


def _split_titles(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split "Russian Foreign Minister Sergey Lavrov" into titles and the name."""
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        lower = token.lower()
        if (lower in PERSON_TITLES or lower in PLURAL_TITLES) and lower not in TITLE_LINKS:  # "of the" inside a title
            cut = i + 1
    return tokens[:cut], tokens[cut:]


class ClaimantResolver:
    """Resolve who-phrases to claimants, remembering who spoke last for pronouns and "the company"."""

    def __init__(self, text: str, source: str | None, sentence_starts: list[int]):
        self.text = text
        self._names: NameIndex | None = None
        self.source = source
        self.sentence_starts = sentence_starts
        self.last: dict[str, dict] = {}  # kind -> last claimant of that kind
        self.history: list[dict] = []
        self.last_person: tuple[int, dict] | None = None  # (sentence index, claimant)

    @property
    def names(self) -> NameIndex:
        """Index the document's names on first need: stories without attribution never pay for it."""
        if self._names is None:
            self._names = NameIndex(self.text)
        return self._names

    def resolve(self, who: str | None, sentence_index: int, claim: str = "") -> dict | None:
        """Return {"name", "kind"} for a who-phrase; the document's source for the article's own voice."""
        if who is None:
            return {"name": self.source, "kind": "media"} if self.source else None
        claimant = self._resolve(_clean_who(who), sentence_index, claim)
        if claimant:
            self.last[claimant["kind"]] = claimant
            self.history.append(claimant)
            if claimant["kind"] == "person" and " and " not in claimant["name"]:  # "he" is one of a list? unknown
                self.last_person = (sentence_index, claimant)
        return claimant

    def _resolve(self, who: str, index: int, claim: str) -> dict | None:
        """Resolve a cleaned who-phrase; see ``resolve``."""
        lower = who.lower()
        if lower in ("he", "she"):
            return self._pronoun_person(index)
        if lower in ("it", "they"):
            return self._pronoun_group(lower)
        if " and " in who:
            listed = self._coordinated(who, index, claim)
            if listed:
                return listed
        agent = DATA_BY.match(who)  # "figures gathered by Continental Research": the researchers speak
        if agent and agent.group("agent")[:1].isupper() and _plausible_who(agent.group("agent")):
            return self._resolve(agent.group("agent"), index, claim)
        owner = OWNED_DOCUMENT.match(who)  # "the company's annual report" speaks for the company
        if owner:
            return self._resolve(owner.group("owner"), index, claim)
        spokesperson = SPOKESPERSON_FOR.match(who) or ORG_SPOKESPERSON.match(who)
        if spokesperson:  # a spokesperson speaks for the organization
            return self._organization(spokesperson.group("org"))
        bare = DETERMINER.sub("", who)
        low = bare.lower()
        if not low.strip():
            return None
        if low.split()[-1] in GENERIC_ORGS and (low == bare or (bare != who and bare.split()[-1].islower()
                                                               and "'s " in bare)):
            return self._generic_org(low.split()[-1], bare)  # "the company", "the UK's biggest mortgage lender"
        if low in self.names.roles:
            return {"name": self.names.roles[low], "kind": "person"}
        if low in BARE_REPORTS:
            return {"name": _capitalize(bare), "kind": "unnamed source"}
        titled = _titled_name(bare) or _titled_name(HEAD_CUT.split(bare, 1)[0])
        head = HEAD_CUT.split(bare, 1)[0]
        if titled:
            return {"name": self.names.fullest_person(titled), "kind": "person"}
        return self._by_kind(who, bare, head, claim)

    def _by_kind(self, who: str, bare: str, head: str, claim: str) -> dict:
        """Name a claimant by its kind: known organizations first, then the words of the phrase."""
        org = self.names.fullest_org(bare) or self.names.fullest_org(_name_tail(bare))
        if org:
            return {"name": org, "kind": "media" if MEDIA.search(org) else "organization"}
        kind = claimant_kind(head)
        if kind == "person" and DATA_NOUNS.search(bare.split()[-1]):  # "the YouGov poll"
            kind = "organization" if bare[:1].isupper() else "unnamed source"
        if kind == "person":
            return self._person_or_org(bare, claim)
        if kind == "unnamed source":
            return {"name": _capitalize(THE.sub("", who)), "kind": kind}
        if kind == "media":
            stripped = REPORT_SUFFIX.sub("", bare)
            bare = stripped if MEDIA.search(stripped) and stripped.lower() != "media" else bare
        return {"name": _capitalize(_name_tail(bare)), "kind": kind}

    def _coordinated(self, who: str, index: int, claim: str) -> dict | None:
        """Resolve "Senators Garn, Shelby and Heinz" or "Brazil and Argentina" to one claimant naming them all.

        Only plain lists split: every part a titled name, a bare name after a
        shared title ("Senators Garn, Shelby"), a person the document names in
        full, or a country. Anything else ("Procter and Gamble", "Ministry of
        Trade and Industry", "officials and analysts") returns None and is read whole.
        """
        parts = [part.strip() for part in LIST_SPLIT.split(who) if part.strip()]
        if len(parts) < 2 or ORG_SUFFIX.search(parts[-1]):
            return None
        shared_title, found = False, []
        for part in parts:
            claimant = self._list_member(part, shared_title)
            if claimant is None:
                return None
            shared_title = shared_title or claimant.pop("titled")
            found.append(claimant)
        kinds = {claimant["kind"] for claimant in found}
        names = [claimant["name"] for claimant in found]
        return {"name": ", ".join(names[:-1]) + " and " + names[-1],
                "kind": kinds.pop() if len(kinds) == 1 else "organization"}

    def _list_member(self, part: str, shared_title: bool) -> dict | None:
        """Return {"name", "kind", "titled"} for one part of a list of speakers, or None when it is not a name."""
        titles, name = _split_titles(part.split())
        if not 1 <= len(name) <= 4 or not all(word[:1].isupper() for word in name):
            return None
        joined = " ".join(name)
        if ORGANIZATION.search(joined) or ORG_SUFFIX.search(joined):
            return None
        if any(word[:1].islower() and word not in PERSON_TITLES and word not in PLURAL_TITLES for word in titles):
            return None  # "Organisation for Economic Cooperation": not a title
        if titles or (shared_title and len(name) <= 2):
            return {"name": self.names.fullest_person(joined), "kind": "person", "titled": bool(titles)}
        if joined in GOVERNMENTS:
            return {"name": joined, "kind": "organization", "titled": False}
        fullest = self.names.fullest_person(joined)
        if fullest in self.names.titled and fullest.endswith(name[-1]):  # named with a title or role elsewhere
            return {"name": fullest, "kind": "person", "titled": False}
        return None

    def _organization(self, name: str) -> dict:
        """Return an organization claimant under its fullest name."""
        name = _name_tail(THE.sub("", name.strip()))
        return {"name": self.names.fullest_org(name) or _capitalize(name), "kind": "organization"}

    def _pronoun_person(self, index: int) -> dict | None:
        """Resolve "he"/"she": the person who spoke in the previous sentence, else the one last named."""
        if self.last_person and index - self.last_person[0] <= PRONOUN_REACH:
            return self.last_person[1]
        name = self.names.person_before(index, self.sentence_starts)
        if name:
            return {"name": name, "kind": "person"}
        return self.last_person[1] if self.last_person else None

    def _pronoun_group(self, pronoun: str) -> dict | None:
        """Resolve "it"/"they" to the organization (or, for "they", the group) that spoke last."""
        for kind in ("organization", "media", "unnamed source"):
            if kind in self.last and (pronoun == "they" or kind != "unnamed source"):
                return self.last[kind]
        return None

    def _person_or_org(self, who: str, claim: str) -> dict:
        """Tell a named person from a company named like one ("Time Warner said it ...")."""
        titles, name = _split_titles(who.split())
        if not name or not name[0][:1].isupper():
            return {"name": _capitalize(who), "kind": "unnamed source"}
        joined = " ".join(name)
        fullest = self.names.fullest_person(joined)
        known_person = (bool(titles) or fullest in self.names.titled or (len(name) == 1 and fullest != joined)
                        or bool(PERSONAL_CLAIM.match(claim)))
        if not known_person and (len(name) == 1 or IT_CLAIM.match(claim)):
            return {"name": joined, "kind": "organization"}
        return {"name": fullest, "kind": "person"}

    def _generic_org(self, noun: str, phrase: str) -> dict:
        """Resolve "the company", "the military" to the organization the story is about."""
        for earlier in reversed(self.history):
            if earlier["kind"] == "organization" and (earlier["name"].lower().endswith(noun) or noun in COMPANY_LIKE):
                return earlier
        for key, name in self.names.orgs.items():
            if key == name and noun in name.lower():
                return {"name": name, "kind": "organization"}
        if self.history and self.history[-1]["kind"] == "organization":
            return self.history[-1]  # "Statistics Canada said ... The federal agency said ..."
        return {"name": _capitalize(phrase) if " " in phrase else "The " + noun, "kind": "organization"}


def _titled_name(head: str) -> str | None:
    """Return the person's name in "Government spokesman Friedhelm Ost", or None."""
    titles, name = _split_titles(head.split())
    if not titles or not name or len(name) > 4 or not all(t[:1].isupper() for t in name):
        return None
    joined = " ".join(name)
    if ORGANIZATION.search(joined) or MEDIA.search(joined) or joined in GOVERNMENTS:
        return None
    return joined


def _name_tail(phrase: str) -> str:
    """Drop a lower-case description before a name: "telecommunications firm NTL" -> "NTL"."""
    match = NAME_TAIL.search(phrase)
    return match.group("name") if match else phrase


def _clean_who(who: str) -> str:
    """Tidy a who-phrase: whitespace, tickers, quotes, leading "but"/"on Monday", a possessive."""
    who = LEADING_CONTEXT.sub("", " ".join(strip_tickers(who).split()).strip(QUOTES + " ,"))
    return POSSESSIVE.sub("", who) if who.endswith(("’s", "'s")) else who


def _capitalize(text: str) -> str:
    """Upper-case the first character only."""
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------
# Quantities and dates
# --------------------------------------------------------------------------

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mln": 1e6, "bln": 1e9, "bn": 1e9,
          "m": 1e6, "b": 1e9, "k": 1e3, "tn": 1e12, "trn": 1e12}
CURRENCY_SIGNS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "A$": "AUD", "C$": "CAD"}
CURRENCY_WORDS = {"dlrs": "USD", "dlr": "USD", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
                  "pounds": "GBP", "sterling": "GBP", "stg": "GBP", "yen": "JPY", "roubles": "RUB", "rubles": "RUB",
                  "yuan": "CNY", "renminbi": "CNY", "rupees": "INR", "francs": "francs", "marks": "DEM",
                  "cents": "cents", "cts": "cents", "pence": "pence", "zloty": "PLN", "zlotys": "PLN",
                  "rand": "ZAR", "pesos": "pesos", "lira": "TRY", "lire": "ITL", "shekels": "ILS", "riyals": "SAR",
                  "rupiah": "IDR", "baht": "THB", "naira": "NGN", "hryvnias": "UAH", "crowns": "crowns",
                  "guilders": "NLG", "cruzados": "BRC", "won": "KRW", "dinars": "dinars"}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "a": 1, "half": 0.5}
QUANTITY = re.compile(
    r"(?<![\w.,/-])(?P<currency>US\$|A\$|C\$|[$€£¥])?\s?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d/])|\d+(?:\.\d+)?(?![\d/])|\.\d+(?![\d/])"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|a|half)"
    r"(?=\s+(?:thousand|million|billion|trillion|mln|bln|pct|percent|per cent)\b))"
    r"(?:(?P<tight>bn|m|b|k|tn|trn)\b|\s?(?P<scale>thousand|million|billion|trillion|mln|bln)\b)?"
    r"(?:\s?(?P<percent>%|(?:per\s?cent|percent|pct)\b))?"
    rf"(?:\s+(?:US\s+|U\.S\.\s+)?(?P<money>{_alternation('|'.join(CURRENCY_WORDS))})\b)?"
    r"(?:\s+(?:per|a)\s+(?P<per>[a-z]+)\b)?"
)
COUNTED = re.compile(r"\s+(?:of\s+)?(?P<first>[a-z][\w-]*)(?:\s+(?P<second>[a-z][\w-]*))?")
NOT_COUNTED = _words(
    "of to in on at for and or the a an from by with than as over under up down more less is was were are has "
    "have had said says will would per vs against between about around nearly almost some percent pct million "
    "billion thousand mln bln times each year-on-year compared"
)
ADJECTIVE_END = re.compile(r"(?:ed|al|ive|ian|ese|ish|ic|ful|less|ous|ary|ern|ing)$|^(?:new|old|more|other|foreign|"
                           r"common|young|armed|local|small|large|big)$")
DURATION = _words("years year months month weeks week days day hours hour minutes minute seconds decades decade")
YEAR_LIKE = re.compile(r"^(?:1[89]|20)\d{2}$")
DATE = re.compile(
    rf"\b(?:(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{MONTHS})\.?\s+(?:1[89]|20)\d{{2}}"
    rf"|(?:(?:in|since|by|until|from|of|early|late|mid|last|next|this|end of)[\s-]+)(?:{MONTHS})\b(?!\s+\d)"
    r"|(?<![\d,.$])(?:1[89]|20)\d{2}(?!\d|[.,]\d)(?!\s*(?:pct|percent|per cent|%))"
    r"|(?:(?:last|this|next|earlier this|later this)\s+(?:week|month|year|quarter|weekend|"
    rf"{DAYS}|{MONTHS}))"
    rf"|(?:{DAYS})|yesterday|today|tonight)\b"
)
DATE_LEAD = re.compile(r"^(?:in|since|by|until|from|of|early|late|mid|end of)[\s-]+", re.I)
NAME_BEFORE = re.compile(
    r"\b(?!(?:About|Some|Nearly|Almost|Around|Over|Only|Just|At|In|On|By|From|To|Up|More|Fewer|Less|All|The|"
    r"Another|Roughly|Approximately|Exactly|Under|Below|Above|Of|For|With|And|But|Than|Least|Most|Last|Since|"
    r"Until|After|Before|During|Between|Among|Some|Another|Those|These|Its|His|Her|Their|Our)\s)[A-Z][\w-]*\s$"
)
NEAR_MONTH = re.compile(rf"(?:{MONTHS})\.?\s*$")


def quantities(text: str) -> list[dict]:
    """Return the numbers a claim states, with what is counted: '2,500 terrorists' -> 2500 terrorists."""
    found: list[dict] = []
    for match in QUANTITY.finditer(text):
        quantity = _quantity(text, match)
        if quantity:
            found.append(quantity)
    _share_units(found)
    return [{k: v for k, v in q.items() if not k.startswith("_")} for q in found]


def _quantity(text: str, match: re.Match) -> dict | None:
    """Describe one number match, or None when it is a year, a date or part of a name."""
    raw, scale = match.group("number"), match.group("tight") or match.group("scale")
    currency, percent, money = match.group("currency"), match.group("percent"), match.group("money")
    if YEAR_LIKE.match(raw) and not (currency or scale or percent or money):
        return None
    if NEAR_MONTH.search(text, max(0, match.start() - 10), match.start()) and not (currency or scale or percent):
        return None  # "Feb 26"
    if DATE_AFTER.match(text, match.end()) and not (currency or scale or percent or money):
        return None  # "9 January"
    if NAME_BEFORE.search(text, max(0, match.start() - 20), match.start()) and not (currency or scale or percent):
        return None  # "BBC Radio 4", "Apollo 11"
    value = _number(raw)
    if value is None:
        return None
    if scale:
        value *= SCALES[scale.lower()]
    end = match.end()
    if percent:
        kind, unit = "percent", "percent"
    elif currency or money:
        kind, unit = "money", CURRENCY_SIGNS.get(currency) or CURRENCY_WORDS[money.lower()]
        if match.group("per"):
            unit = f"{unit} per {match.group('per')}"
    else:
        unit, end = _counted(text, match.end())
        kind = "duration" if unit.split(" ")[-1:] and unit.split(" ")[-1] in DURATION else "count"
    return {"text": " ".join(text[match.start():end].split()), "value": _tidy(value), "unit": unit, "kind": kind,
            "_start": match.start(), "_end": end}


DATE_AFTER = re.compile(rf"\s*(?:st|nd|rd|th)?\s+(?:{MONTHS})\b")


def _number(raw: str) -> float | None:
    """Read "2,500", "1.5", ".125" or a number word."""
    lower = raw.lower()
    if lower in NUMBER_WORDS:
        return NUMBER_WORDS[lower]
    try:
        return float(raw.replace(",", ""))
    except ValueError:
        return None


def _tidy(value: float) -> int | float:
    """Round away float noise and drop ".0"."""
    value = round(value, 6)
    return int(value) if float(value).is_integer() else value


def _counted(text: str, position: int) -> tuple[str, int]:
    """Return what a bare number counts ("terrorists", "armed militants") and where that ends."""
    match = COUNTED.match(text, position)
    if not match or match.group("first") in NOT_COUNTED:
        return "", position
    first, second = match.group("first"), match.group("second")
    if second and second not in NOT_COUNTED and ("-" in first or ADJECTIVE_END.search(first)):
        return f"{first} {second}", match.end("second")
    return first, match.end("first")


def _share_units(found: list[dict]) -> None:
    """Give "340 to 350 cruzados" the unit of its upper bound on both numbers."""
    for lower, upper in zip(found, found[1:]):
        if not lower["unit"] and lower["kind"] == "count" and upper["_start"] - lower["_end"] <= 6:
            lower["unit"], lower["kind"] = upper["unit"], upper["kind"]


def dates(text: str) -> list[str]:
    """Return the date expressions in a text, as written ("Sunday", "2015", "Feb 26")."""
    seen: list[str] = []
    for match in DATE.finditer(text):
        value = DATE_LEAD.sub("", " ".join(match.group(0).split()))
        if value not in seen:
            seen.append(value)
    return seen


# --------------------------------------------------------------------------
# Claim types, opinions, hedges, scores
# --------------------------------------------------------------------------

EVALUATIVE = (
    "unacceptable|inadmissible|outrageous|shameful|disgraceful|terrible|great|wonderful|awful|ridiculous|absurd|"
    "deplorable|appalling|fantastic|irresponsible|unjust|unfair|regrettable|disgusting|horrible|amazing|"
    "excellent|beautiful|stupid|crazy|insane|pathetic|brilliant|magnificent|tragic|sad|important|essential|"
    "crucial|vital|necessary|imperative"
)
STANCE = "convinced|sure|certain|confident|proud|happy|pleased|delighted|concerned|worried|disappointed"
BELIEF = "think|believe|feel|hope|want|wish|guess|condemn|welcome"
INTENSIFIER = "absolutely|totally|completely|simply|very|so|quite|really|extremely|deeply|fully|firmly"
OPINION = re.compile(
    rf"\b(?:is|are|was|were|be|been|being|seems?|remains?|looks?)\s+(?:not\s+)?(?:(?:a|an|such a)\s+)?"
    rf"(?:(?:{INTENSIFIER})\s+)?"
    rf"(?:{_alternation(EVALUATIVE)})\b(?!-)"
    rf"|\b(?:we|i)\s+(?:are|am|'re|'m|was|were)\s+(?:(?:{INTENSIFIER})\s+)?(?:{STANCE})\b"
    r"|\b(?:is|are|was|were)\s+(?:absolutely\s+|fully\s+|\"?100%\"?\s+)?(?:convinced|sure|certain|confident)\b"
    rf"|\b(?:i|we)\s+(?:{BELIEF})\b"
    r"|\b(?:we|you)\s+(?:have to|need to|have got to|got to)\b"
    r"|\b(?:should|must|ought to|shall)\b"
    r"|^(?:let|let's)\b",
    re.I,
)
HEDGE = _any_of(
    "may|might|perhaps|possibly|maybe|probably|could|likely|unlikely|it seems|appears to|appear to|seem to|"
    "allegedly|supposedly|rumoured|rumored|some say|it is possible|potentially", re.I
)
CAUSAL = re.compile(
    _any_of("because|caused|causes|causing|leads to|lead to|led to|resulted in|results in|as a result of|"
            "thanks to|blamed on|owing to|attributed to|triggered|sparked").pattern
    + r"|\bdue to\b(?!\s+(?:be|consider|take|start|begin|meet|open|close|arrive|end|finish|make|hold|go|come|visit|"
    r"report|publish|announce|vote|decide|sign|launch|return|appear|speak|face|receive|give|hear|rule|present|"
    r"resume|testify|release|leave|travel|debate)\b)",
    re.I,
)
PREDICTION = re.compile(
    _any_of("will|won't|shall|is expected to|are expected to|expect to|expects to|is set to|are set to|forecast|"
            "forecasts|predict|predicts|projected to|plan to|plans to|planning to|is going to|are going to|would|"
            "next year|next month|next week").pattern + r"|\bby 20\d\d\b",
    re.I,
)
NAMED_ACTOR = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+|\b[A-Z]{2,}\b")
# Word gates: a claim's lower-case words are collected once; a pattern runs only when one of its
# words occurs (most claims contain none of them, and a set test is far cheaper than a search).
LOWER_WORD = re.compile(r"[a-z][a-z']*")
OPINION_WORDS = frozenset(f"{EVALUATIVE}|{STANCE}|{BELIEF}|should|must|ought|shall|let|let's|have|need|got"
                          .split("|"))
HEDGE_WORDS = _words(
    "may might perhaps possibly maybe probably could likely unlikely seems appears appear seem allegedly "
    "supposedly rumoured rumored say possible potentially"
)
CAUSAL_WORDS = _words(
    "because caused causes causing leads lead led resulted results result thanks blamed owing attributed "
    "triggered sparked due"
)
PREDICTION_WORDS = _words(
    "will won't shall expected expect expects set forecast forecasts predict predicts projected plan plans "
    "planning going would next by"
)
TABLE_WORDS = _words("vs qtr shr shrs mths")
MIN_CLAIM_WORDS = 4
DIGIT = re.compile(r"\d")
FINAL_COMMA = re.compile(r"[,;:]([”\"’]?)$")
TRAILING_DISCOURSE = re.compile(r",\s*(?:however|though|too|also|meanwhile|nevertheless)\s*(?=[.!?]?$)", re.I)
TWO_LOWER_WORDS = re.compile(r"(?<![\w'’-])[a-z]+\b.*?(?<![\w'’-])[a-z]+\b", re.S)
# Discourse words that tie a sentence to the previous one but are no part of what is claimed.
CONNECTIVE = re.compile(
    r"^(?:(?:and|but|however|meanwhile|moreover|furthermore|separately|indeed|also|still|yet|"
    r"in addition|nevertheless|nonetheless)\b,?\s+)+",
    re.I,
)
TICKER = re.compile(r"\s*<[A-Z0-9.&-]+>")
TICKER_NAME = re.compile(r"<([^<>\n]{1,80})>")
EXPLETIVE_IT = re.compile(
    r"^(?:It|They)\s+(?:is|was|'s|are|were|will be|would be|seems|seemed|appears|appeared|remains|remained)\s+"
    r"(?!(?:not\s+)?(?:\w+(?:ing|ed)|unable|able|prepared|ready|willing|confident|committed|in|on|at|still)\b)"
)
SUBJECT_PRONOUN = re.compile(r"^(?:(?P<it>It)|(?P<its>Its)|(?P<they>They)|(?P<he>He|She)|(?P<his>His|Her))\b")
STATISTIC_KINDS = ("count", "percent", "money")


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
        """Return the claim as plain JSON-ready data."""
        return asdict(self)


def normalize_claim(text: str) -> str:
    """Return a comparison key for a claim: lower-case words only."""
    return " ".join(WORD.findall(text.lower()))


def strip_tickers(text: str) -> str:
    """Drop wire-copy ticker marks: "Texaco Inc <TX>" -> "Texaco Inc", "<Sedio N.V.>" -> "Sedio N.V."."""
    if "<" not in text:
        return text
    return TICKER_NAME.sub(r"\1", TICKER.sub("", text))


def clean_claim(text: str) -> str:
    """Tidy a claim cut out of a sentence: whitespace, outer quotes, capital, full stop."""
    text = " ".join(strip_tickers(text).split())
    text = CONNECTIVE.sub("", text.strip(" ,;:—–-"))
    text = _unwrap_quotation(_balance_quotes(text.strip(" ,;:—–-")))
    text = TRAILING_DISCOURSE.sub("", text)
    if text.rstrip(QUOTES)[-1:] in (",", ";", ":"):
        text = FINAL_COMMA.sub(r".\1", text)
    if text and text.rstrip(QUOTES)[-1:] not in ".!?":
        text += "."
    return _capitalize(text)


def _unwrap_quotation(text: str) -> str:
    """Drop the outer quote marks of a claim that is one whole quotation."""
    core = text.rstrip(".,;:!? ")
    for opening, closing in (("“", "”"), ('"', '"')):
        marks = text.count(opening) + (text.count(closing) if closing != opening else 0)
        if text.startswith(opening) and core.endswith(closing) and marks == 2:
            end = text.rindex(closing)
            return text[1:end] + text[end + 1:]
    return text


def _balance_quotes(text: str) -> str:
    """Drop the quote marks left unpaired by cutting the attribution away."""
    if text.count("“") != text.count("”"):
        text = text.removeprefix("“") if text.count("“") > text.count("”") else text.removesuffix("”")
    if text.count('"') % 2:
        text = text[1:] if text.startswith('"') else text.removesuffix('"')
    if text.count("“") != text.count("”") or text.count('"') % 2:
        text = text.replace("“", "").replace("”", "").replace('"', "")
    return text.strip()


def word_set(text: str) -> frozenset[str]:
    """Return the lower-case words of a text, for the word gates."""
    return frozenset(LOWER_WORD.findall(text.lower()))


def _says(words: frozenset[str], gate: frozenset[str], pattern: re.Pattern, text: str) -> bool:
    """Search pattern in text only when one of its gate words occurs."""
    return not words.isdisjoint(gate) and pattern.search(text) is not None


def is_opinion(claim: str, words: frozenset[str] | None = None) -> bool:
    """Tell whether a claim is an evaluation, a belief or a call to act rather than a checkable fact."""
    return _says(word_set(claim) if words is None else words, OPINION_WORDS, OPINION, claim)


def is_vague(claim: str, frame: Frame, words: frozenset[str], has_number: bool) -> bool:
    """Tell whether a hedged claim in the article's own voice has nothing concrete to check."""
    return (frame.who is None and not has_number and _says(words, HEDGE_WORDS, HEDGE, claim)
            and not NAMED_ACTOR.search(claim))


def looks_like_claim(claim: str, words: frozenset[str]) -> bool:
    """Reject fragments, questions and wire-copy tables."""
    if len(claim.split()) < MIN_CLAIM_WORDS or claim.rstrip(QUOTES).endswith("?"):
        return False
    return bool(TWO_LOWER_WORDS.search(claim)) and words.isdisjoint(TABLE_WORDS)


def adjust_score(score: float, claim: str, frame: Frame, words: frozenset[str]) -> float:
    """Nudge the model's score with news rules the debate-trained model does not see.

    The model was trained on debate transcripts, where "X said" is rare; in
    news a number attributed to a named actor is the classic check-worthy
    claim, and hedged, unattributed speculation is the classic non-claim.
    """
    has_number = bool(DIGIT.search(claim))
    if has_number and (frame.who or NAMED_ACTOR.search(claim)):
        score += 0.1 * (1.0 - score)
    if frame.who and frame.verb not in ("report",) and NAMED_ACTOR.search(frame.who or ""):
        score += 0.05 * (1.0 - score)
    if frame.who is None and _says(words, HEDGE_WORDS, HEDGE, claim):
        score *= 0.8
    return min(1.0, max(0.0, score))


def name_the_subject(claim: str, claimant: dict, *, quoted: bool = False) -> str:
    """Replace a leading pronoun that stands for the claimant by its name, so the claim reads alone.

    "It"/"They" stand for an organization or group ("the ministry said it had ..."),
    "He"/"She"/"His"/"Her" for a person ("McIlroy claims he is ..."); a quotation
    keeps its own words, where "he" is usually somebody else.
    """
    match = SUBJECT_PRONOUN.match(claim)
    name, kind = claimant["name"], claimant["kind"]
    if not match or not name:
        return claim
    personal = bool(match.group("he") or match.group("his"))
    if kind == "person":
        several = bool(match.group("they")) and " and " in name  # "Garn, Shelby and Heinz said they ..."
        if not (personal or several) or quoted:
            return claim
    elif personal or (kind == "unnamed source" and not match.group("they")):
        return claim
    if EXPLETIVE_IT.match(claim):  # "it was the second straight gain": "it" is not the speaker
        return claim
    possessive = match.group("its") or match.group("his")
    return (name + "'s" if possessive else name) + claim[match.end():]


def claim_type(claim: str, frame: Frame, found: list[dict], words: frozenset[str] | None = None) -> str:
    """Classify a claim: statistic, quote, causal, prediction, attribution, or event."""
    words = word_set(claim) if words is None else words
    if any(q["kind"] in STATISTIC_KINDS for q in found):
        return "statistic"
    if frame.who and frame.quoted:
        return "quote"
    if _says(words, CAUSAL_WORDS, CAUSAL, claim):
        return "causal"
    if _says(words, PREDICTION_WORDS, PREDICTION, claim):
        return "prediction"
    if frame.who:
        return "attribution"
    return "event"


# --------------------------------------------------------------------------
# The pipeline
# --------------------------------------------------------------------------


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
    found = []
    for index, (start, end, sentence) in enumerate(sentences):
        for frame in frames(sentence):
            claim = clean_claim(frame.claim)
            words = word_set(claim)
            if looks_like_claim(claim, words):
                found.append(_Candidate(index, start, end, sentence, frame, claim, words))
    return found


def extract_claims(text: str, *, source: str | None = None, threshold: float | None = None) -> list[Claim]:
    """Extract the check-worthy claims of a document, in reading order.

    :param source: the outlet; claims in the article's own voice take it as claimant.
    :param threshold: check-worthiness cut-off (default ``CHECKWORTHY_THRESHOLD``).
    """
    return extract_claims_many([text], sources=[source], threshold=threshold)[0]


def extract_claims_many(
    texts: Sequence[str], *, sources: Sequence[str | None] | None = None, threshold: float | None = None
) -> list[list[Claim]]:
    """Extract the claims of many documents; one scoring batch for all is about three times faster.

    :param sources: each document's outlet (default: none).
    :param threshold: check-worthiness cut-off (default ``CHECKWORTHY_THRESHOLD``).
    """
    threshold = CHECKWORTHY_THRESHOLD if threshold is None else threshold
    sources = list(sources) if sources is not None else [None] * len(texts)
    segmented = [segment(text) for text in texts]
    found = [candidates(sentences) for sentences in segmented]
    scores = iter(score_sentences([c.text for document in found for c in document]))
    return [
        _assemble(text, source, sentences, document, [next(scores) for _ in document], threshold)
        for text, source, sentences, document in zip(texts, sources, segmented, found)
    ]


def _assemble(text: str, source: str | None, sentences: list, found: list[_Candidate], scores: list[float],
              threshold: float) -> list[Claim]:
    """Turn one document's scored candidates into claims, resolving claimants in reading order."""
    if not found:
        return []
    resolver = ClaimantResolver(text, source, [start for start, _, _ in sentences])
    claims, seen = [], set()
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
        key = normalize_claim(claim.text) if claim else None
        if key and key not in seen:
            seen.add(key)
            claims.append(claim)
    return claims


def _continues_quotation(candidate: _Candidate, speaker_sentence: int) -> bool:
    """Tell whether an unattributed sentence that opens with a quote mark goes on quoting the last speaker."""
    return candidate.sentence[:1] in OPEN_QUOTES and candidate.index - speaker_sentence <= PRONOUN_REACH


def _describe(candidate: _Candidate, claimant: dict | None, raw: float, threshold: float) -> Claim | None:
    """Turn a scored candidate into a Claim, or None when it is not a check-worthy factual claim."""
    frame, text, words = candidate.frame, candidate.text, candidate.words
    has_number = bool(DIGIT.search(text))
    score = adjust_score(raw, text, frame, words)
    if score < threshold or is_opinion(text, words) or is_vague(text, frame, words, has_number):
        return None
    found = quantities(text) if has_number or " million" in text or " billion" in text else []
    if frame.who and claimant:
        text = name_the_subject(text, claimant, quoted=frame.quoted)
    return Claim(text=text, sentence=candidate.sentence, start=candidate.start, end=candidate.end,
                 claimant=claimant, claim_type=claim_type(text, frame, found, words), quantities=found,
                 dates=dates(candidate.sentence), score=round(score, 4))
