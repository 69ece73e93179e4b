"""Split a sentence into the claims it makes and who makes each (attribution frames).

Reads "X said (that) Y", "Y, X said", "Y, said X", "according to X, Y" and
"amid reports that Y", and strips the attribution from the claim text; a
sentence with no attribution is the article's own voice (``who`` is None).
"""

import re
from dataclasses import dataclass

from review.extraction.claimant_kinds import SOURCE_HEADS
from review.extraction.patterns import (
    DAYS, MONTHS, OPEN_QUOTES, QUOTES, alternation, any_of, may_hold_word, vocabulary,
)

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
# The lookahead names the letters a verb or its prefix can start with, so the scan skips other characters;
# the word-boundary test comes first because re checks it in place, the lookahead as a match of its own.
VERB_INITIALS = "".join(sorted({word[0] for word in f"{SAY_VERBS}|{FRAMING_VERBS}|{VERB_PREFIXES}|quoted".split("|")}))
ATTRIBUTION_VERB = re.compile(
    rf"\b(?=[{VERB_INITIALS}])(?:(?:{alternation(VERB_PREFIXES)})\s+){{0,3}}"
    rf"(?P<verb>{alternation(SAY_VERBS + '|' + FRAMING_VERBS)}|quoted(?: [^,.;]{{0,40}}?)? as saying)\b"
)
FRAMING = vocabulary(FRAMING_VERBS.replace("|", " "))
DATA_VERBS = vocabulary("showed shows found finds")
DATA_NOUNS = any_of(
    "study|studies|survey|report|poll|data|figures|research|statistics|census|analysis|review|"
    "investigation|inquiry|audit|results|test|tests|records|documents", re.I
)
OBJECT_VERBS = vocabulary("told tells tell")
NEEDS_THAT = vocabulary(
    "maintain maintains maintained argue argues argued admit admits admitted acknowledged acknowledges indicated "
    "indicates explained explains stressed stresses emphasized emphasised emphasizes emphasises revealed reveals "
    "testified insist insists insisted assert asserts asserted contend contends contended"
)
IMPERSONAL = re.compile(r"(?:is|was|has been|had been|are|were)\s")
OBJECT_TAKING = vocabulary(
    "forecast forecasts predicted predicts predict estimated estimates estimate projected announced announces "
    "revealed reveals confirmed confirms confirm reported reports report"
)
COMPLEMENT = re.compile(
    r"^(?:\s+(?:on|in|at|during|after|before|through|via|from|to)\b(?:\s+[^\s,;:“”\"«»„]+){0,6}?)?"
    r"(?:\s+that\s+|\s*:\s*|\s*,\s*(?=[\"“«„‚])|\s+(?=[\"“«„‚]))(?P<claim>.+)$",
    re.S,
)
TOLD_THAT = re.compile(r"^(?:\s+[^\s,;:“”\"«»„]+){1,8}?\s+that\s+(?P<claim>.+)$", re.S)
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
    r"^\s*(?:[.!?;:]?[”\"’»“]?\s*$|[,;(—–-]|(?:on|in|at|last|this|earlier|late|during|after|before|while|when|"
    r"as|adding|according|citing|referring|without|but|yesterday|today|tonight|recently|previously|"
    r"separately|here|there|now|then|later|again)\b)",
    re.S,
)
TRAILING_LEFT = re.compile(
    r"^(?P<claim>.*?\S)\s*(?:,\s*[\"”’»“]|[\"”’»“]\s*,|,|[\"”’»“])\s+(?P<who>[^,\"“”«»„;:]+?)\s*$", re.S
)
# TRAILING_LEFT after its claim, and what bounds where that may end (see _split_trailing).
TRAILING_WHO = re.compile(TRAILING_LEFT.pattern.removeprefix(r"^(?P<claim>.*?\S)"), re.S)
WHO_STOPS = ",\"“”«»„;:"  # never in TRAILING_LEFT's who
SEPARATOR_START = re.compile(r"[,\"”’»“]")  # where TRAILING_LEFT's separator can start
INVERTED_RIGHT = re.compile(r"^\s+(?P<who>[^,.;:“”\"«»„(]+?)\s*(?:[,.;:(—–].*)?$", re.S)
# What a left part "ends with a separator" means: r"(?:,\s*[\"”’»“]?|[\"”’»“]\s*,?)\s*$" finds a match exactly
# when the text without its trailing white space ends with one of these (str.rstrip strips what \s matches).
SEPARATOR_ENDS = (",", '"', "”", "’", "»", "“")
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
    r"(?:,\s*[\"”’»“]?|[\"”’»“]\s*,?)\s+(?P<who>[^,\"“”«»„]{2,60}?)\s+(?:has\s+|had\s+)?"
    r"(?:said|says|added|reported)"
    r"(?:\s+(?:on|last|this|in|at)\b[^,\"“”]{0,40})?\s*[.]?\s*$"
)
NESTED_VERBS = ("said", "says", "added", "reported")  # NESTED_TRAILING matches no text without one of them
PROPER_NAME = re.compile(r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al|bin))+")
PARENTHESES = re.compile(r"\s*\([^()]*\)")
CLAUSE_COMMA = re.compile(r",(?!\d)")  # not the comma of "1,943"
CLAUSE_BREAK = re.compile(r",(?!\d)|[;:—–(“”\"«»„]")
TRAILING_ADVERB = re.compile(r"(?:\s+(?:still|also|now|again|later|earlier|recently|previously|reportedly|then|too|"
                             r"already|today|yesterday|separately|similarly|likewise))+$", re.I)
BASE_VERBS = vocabulary(
    "say claim report tell note warn allege insist argue suggest assert confirm estimate maintain admit contend "
    "predict"
)
AMID_REPORTS = re.compile(
    r"(?:,\s*)?\b(?:amid|amidst|after|following|despite|with|over)\s+"
    r"(?P<who>(?:[\w’'.-]+\s+){0,3}?(?:reports|claims|allegations|accounts|rumou?rs|suggestions))\s+that\s+"
    r"(?P<claim>.+)$",
    re.I | re.S,
)
AMID_NOUNS = ("reports", "claims", "allegations", "accounts", "rumours", "rumors", "suggestions")
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

# "20,000 times", "about 30 percent", "two million a year": a quantity, never someone who speaks.
NUMBER_PHRASE = re.compile(
    r"^(?:(?:about|some|around|nearly|almost|over|under|more|less|fewer|than|up|to|at|least|only|another|"
    r"roughly|approximately|by|of|the)\s+)*(?:[$€£]?\d[\d.,]*\s*%?|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|hundreds|thousands|millions|billions|dozens)(?:\s+(?:times|percent|per|cent|pct|fold|%|hundred|thousand|"
    r"million|billion|trillion|dollars|euros|pounds|more|less|fewer|than|a|an|per|each|every|year|years|day|days|"
    r"week|weeks|month|months|over|again))*\s*$", re.I)
SHARE_OF_PEOPLE = re.compile(r"^(?:another\s+|only\s+|some\s+)?\d[\d.,]*\s*(?:%|pct|percent|per cent)", re.I)
INDEFINITE = re.compile(r"^\s*(?:a|an)\s", re.I)
NOT_IN_WHO = vocabulary(
    "is was were are be been being has have had will would can could may might should must do does did not "
    "to that which who whom whose when where if while because after before than rose fell said says told "
    "gave made took went came got it's there here very more less would've isn't wasn't i you we"
)
PRONOUNS = vocabulary("he she they it we i you")
_CAPITALIZED = r"[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*)*"
CAPITALIZED_WORDS = re.compile(rf"^{_CAPITALIZED}$")
NAME_LIST = re.compile(rf"^{_CAPITALIZED}(?:,\s+{_CAPITALIZED})*,?\s+and\s+{_CAPITALIZED}$")
LIST_STOPS = vocabulary("in on at from for by with after before during under to of as but and yet so")  # "In Rome, ..."

DETERMINERS = vocabulary("the a an this that these those its his her their our my your")


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
    amid = (AMID_REPORTS.search(sentence)
            if " that " in sentence and may_hold_word(sentence, AMID_NOUNS) else None)
    if amid:
        reported.append(Frame(amid.group("claim"), amid.group("who"), "report"))
        sentence = sentence[: amid.start()]
    return _main_frames(sentence) + reported


def _main_frames(sentence: str) -> list[Frame]:
    """Read the main clause's attribution: "according to X", a reporting verb, or none."""
    according = ACCORDING.search(sentence) if "ccording to" in sentence else None
    who = NP_MODIFIER.split(according.group("who"), 1)[0] if according else ""
    if according and plausible_who(who):
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
    if left.rstrip().endswith(SEPARATOR_ENDS) and left.strip(QUOTES + " ,"):
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
    nested = (NESTED_TRAILING.search(claim)  # "X told Y that Z, a spokesman said."
              if any(verb in claim for verb in NESTED_VERBS) else None)
    if nested and plausible_who(nested.group("who")):
        claim = claim[: nested.start()]
    parts = SECOND_CLAIM.split(claim) if (" that " in claim or " said " in claim) else [claim]
    return [Frame(part, who, verb, _is_quoted(part)) for part in parts if part and part.strip()]


def _inverted_frames(left: str, right: str, verb: str) -> list[Frame] | None:
    """Read "Y, said X" and "“Y,” said X, the minister"."""
    inverted = INVERTED_RIGHT.match(right)
    if inverted and plausible_who(inverted.group("who")):
        return [Frame(left, inverted.group("who"), verb, _is_quoted(left))]
    return None


def _trailing_frames(left: str, verb: str) -> list[Frame] | None:
    """Read "Y, X said" and "“Y,” Name, the chief executive, said"."""
    trailing = _split_trailing(left)
    if not trailing:
        return None
    claim, who = trailing[0], _drop_parentheses(trailing[1])
    named = _split_trailing(claim)
    if named and PROPER_NAME.fullmatch(named[1].strip()) and not PROPER_NAME.fullmatch(who):
        claim, who = named  # the speaker's role came after the name
    if plausible_who(who) and len(claim) > 15 and _takes_verb(who, verb):
        return [Frame(claim, who, verb, _is_quoted(claim))]
    return None


def _split_trailing(text: str) -> tuple[str, str] | None:
    """Return TRAILING_LEFT's (claim, who) for text, or None, trying only the separators that can work.

    TRAILING_LEFT tries every end of its lazy claim from the left, and at every comma a who up to the end.
    A who holds none of WHO_STOPS and a separator at most two of them, so the separator starts at or after
    the second-to-last of them; each separator start fixes the claim's end (its \\S before the spaces), and
    trying those in order with the rest of the pattern is what TRAILING_LEFT does, without the hopeless ends.
    """
    last = max(map(text.rfind, WHO_STOPS))
    second = max(text.rfind(stop, 0, last) for stop in WHO_STOPS) if last > 0 else -1
    for separator in SEPARATOR_START.finditer(text, max(second, 0)):
        end = len(text[: separator.start()].rstrip())
        rest = TRAILING_WHO.match(text, end) if end else None
        if rest:
            return text[:end], rest.group("who")
    return None


def _is_quoted(claim: str) -> bool:
    """Tell whether a claim is (or ends) a direct quotation."""
    stripped = claim.strip()
    return stripped[:1] in OPEN_QUOTES or (stripped[-2:-1] in "”\"»“" or stripped[-1:] in "”\"»“")


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
    return who if plausible_who(who) and _takes_verb(who, verb) else None


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


def plausible_who(who: str) -> bool:
    """Tell whether a phrase can name a speaker (not a clause that happens to precede a verb)."""
    words = who.split()
    if not 1 <= len(words) <= 9:
        return False
    lowered = [w.lower().strip(QUOTES) for w in words]
    if len(words) == 1 and lowered[0] in PRONOUNS:
        return lowered[0] not in ("i", "you", "we")
    if not NOT_IN_WHO.isdisjoint(lowered) or lowered[-1] in DETERMINERS:  # the word tests before the patterns
        return False
    if NUMBER_PHRASE.match(who.strip(QUOTES + " ,")) or SHARE_OF_PEOPLE.match(who):
        return False
    return any(w[:1].isupper() for w in words) or bool(SOURCE_HEADS.search(who) or DATA_NOUNS.search(who))
