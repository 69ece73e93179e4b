"""Resolve who-phrases to claimants within one document.

"Lavrov" -> "Sergey Lavrov" (the fullest name the document uses), "he" -> the
person who just spoke or was last named, "the company" -> the company that
spoke, "the ministry's report" -> the ministry, "Senators Garn, Shelby and
Heinz" -> one claimant naming them all.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from review.extraction.attribution import DATA_NOUNS, LEADING_CONTEXT, NUMBER_PHRASE, plausible_who
from review.extraction.claim_text import strip_tickers
from review.extraction.claimant_kinds import GOVERNMENTS, MEDIA, ORGANIZATION, claimant_kind
from review.extraction.names import PERSON_TITLES, PLURAL_TITLES, POSSESSIVE, NameIndex, split_titles
from review.extraction.patterns import QUOTES, capitalize_first, vocabulary

DATA_BY = re.compile(
    r"^(?:[\w'’-]+\s+){0,3}?(?:study|studies|survey|report|poll|data|figures|research|statistics|census|analysis|"
    r"review|results)\s+(?:(?:gathered|compiled|published|released|conducted|carried out|commissioned|issued|"
    r"prepared)\s+)?(?:by|from)\s+(?P<agent>.+)$", re.I)

ORG_SUFFIX = re.compile(r"\b(?:Co|Cos|Inc|Corp|Corporation|Ltd|Plc|PLC|NV|AG|SA|LLC|LP|Group|Association|Partnership|Committee|Commission|Bank|Fund|Trust|Services)\b\.?$")
LIST_SPLIT = re.compile(r",\s+and\s+|,\s+|\s+and\s+")

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
BARE_REPORTS = vocabulary("reports claims allegations accounts rumours rumors suggestions")
PERSONAL_CLAIM = re.compile(r"^(?:He|She|His|Her)\b")  # "Smith said he ...": Smith is a person
IT_CLAIM = re.compile(r"(?:it|its)\b", re.I)
GENERIC_ORGS = vocabulary(
    "company firm group bank ministry government military army agency department council commission party "
    "court union fund board committee administration authority authorities police office organisation "
    "organization corporation airline carrier exchange regime kremlin cabinet navy institute association "
    "federation utility insurer brokerage lender retailer bank builder manufacturer maker producer supplier "
    "operator broadcaster chain"
)
COMPANY_LIKE = vocabulary("company firm group corporation carrier airline utility insurer brokerage lender retailer "
                         "builder manufacturer maker producer supplier operator chain")


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
        if claimant and NUMBER_PHRASE.match(claimant["name"] or ""):  # "20,000 times" is never a claimant
            claimant = None
        if claimant:
            self.last[claimant["kind"]] = claimant
            self.history.append(claimant)
            if claimant["kind"] == "person" and " and " not in claimant["name"]:  # "he" is one of a list? unknown
                self.last_person = (sentence_index, claimant)
        return claimant

    def _resolve(self, who: str, index: int, claim: str) -> dict | None:
        """Resolve a cleaned who-phrase from its reading (``_read_who``) and the document's names."""
        reading = _read_who(who)
        if reading.pronoun == "person":
            return self._pronoun_person(index)
        if reading.pronoun:
            return self._pronoun_group(reading.pronoun)
        if reading.listed:
            listed = self._coordinated(who, index, claim)
            if listed:
                return listed
        if reading.speaks_for is not None:  # "figures gathered by Continental Research", "the company's report"
            return self._resolve(reading.speaks_for, index, claim)
        if reading.spokesperson_for is not None:  # a spokesperson speaks for the organization
            return self._organization(reading.spokesperson_for)
        if reading.bare is None:
            return None
        if reading.generic:  # "the company", "the UK's biggest mortgage lender"
            return self._generic_org(reading.generic, reading.bare)
        if reading.low in self.names.roles:
            return {"name": self.names.roles[reading.low], "kind": "person"}
        if reading.report:
            return {"name": reading.report, "kind": "unnamed source"}
        if reading.titled:
            return {"name": self.names.fullest_person(reading.titled), "kind": "person"}
        return self._by_kind(reading, claim)

    def _by_kind(self, reading: "_Reading", claim: str) -> dict:
        """Name a claimant by its kind: known organizations first, then the words of the phrase."""
        org = self.names.fullest_org(reading.bare) or self.names.fullest_org(reading.tail)
        if org:
            return {"name": org, "kind": "media" if MEDIA.search(org) else "organization"}
        if reading.kind == "person":
            return self._person_or_org(reading, claim)
        return {"name": reading.named, "kind": reading.kind}

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
        titles, name = split_titles(part.split())
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
        """Return an organization claimant under its fullest name (``name`` as ``_read_who`` tidied it)."""
        return {"name": self.names.fullest_org(name) or capitalize_first(name), "kind": "organization"}

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

    def _person_or_org(self, reading: "_Reading", claim: str) -> dict:
        """Tell a named person from a company named like one ("Time Warner said it ...")."""
        joined = reading.named
        fullest = self.names.fullest_person(joined)
        one_word = " " not in joined
        known_person = (reading.titles or fullest in self.names.titled or (one_word and fullest != joined)
                        or bool(PERSONAL_CLAIM.match(claim)))
        if not known_person and (one_word or IT_CLAIM.match(claim)):
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
        return {"name": capitalize_first(phrase) if " " in phrase else "The " + noun, "kind": "organization"}


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a cleaned who-phrase says on its own, before the document's names are consulted.

    ``_resolve`` reads these fields in the order the checks run; a field is filled only when every earlier
    check lets the phrase through, so a reading answers exactly as reading the phrase afresh would.
    """

    pronoun: str | None = None  # "person" for he/she; "it" or "they"
    listed: bool = False  # holds " and ": maybe a list of speakers
    speaks_for: str | None = None  # the agent of "figures gathered by X" or the owner of "X's annual report"
    spokesperson_for: str | None = None  # the organization of "a spokesman for X", tidied
    bare: str | None = None  # without its determiner; None when nothing else is left
    low: str = ""  # bare, lower-cased: a role ("the foreign minister") is looked up by it
    generic: str | None = None  # the noun of "the company", "the UK's biggest mortgage lender"
    report: str | None = None  # claimant name of bare "reports", "claims", ...
    titled: str | None = None  # the name after a title: "Government spokesman Friedhelm Ost" -> "Friedhelm Ost"
    tail: str = ""  # the name after a description: "telecommunications firm NTL" -> "NTL"
    kind: str = ""  # claimant_kind of the phrase's head when no organization of the document matches
    named: str = ""  # the claimant's name for that kind (for a person, the name without titles)
    titles: bool = False  # a person's name came with a title


@lru_cache(maxsize=1 << 13)  # ~3 MB; finds 96% of the phrases Reuters-21578 repeats
def _read_who(who: str) -> _Reading:
    """Read a cleaned who-phrase on its own; the same phrases ("the company", "analysts") recur story after story.

    Every check here looks at the phrase alone; ``ClaimantResolver._resolve`` consults the document's names
    and the speakers so far in between, at the points the reading's order leaves for them.
    """
    lower = who.lower()
    if lower in ("he", "she"):
        return _Reading(pronoun="person")
    if lower in ("it", "they"):
        return _Reading(pronoun=lower)
    listed = " and " in who
    agent = DATA_BY.match(who)
    if agent and agent.group("agent")[:1].isupper() and plausible_who(agent.group("agent")):
        return _Reading(listed=listed, speaks_for=agent.group("agent"))
    owner = OWNED_DOCUMENT.match(who)
    if owner:
        return _Reading(listed=listed, speaks_for=owner.group("owner"))
    spokesperson = SPOKESPERSON_FOR.match(who) or ORG_SPOKESPERSON.match(who)
    if spokesperson:
        return _Reading(listed=listed, spokesperson_for=_name_tail(THE.sub("", spokesperson.group("org").strip())))
    bare = DETERMINER.sub("", who)
    low = bare.lower()
    if not low.strip():
        return _Reading(listed=listed)
    if low.split()[-1] in GENERIC_ORGS and (low == bare or (bare != who and bare.split()[-1].islower()
                                                           and "'s " in bare)):
        return _Reading(listed=listed, bare=bare, generic=low.split()[-1])
    reading = {"listed": listed, "bare": bare, "low": low}
    if low in BARE_REPORTS:
        return _Reading(**reading, report=capitalize_first(bare))
    head = HEAD_CUT.split(bare, 1)[0]
    titled = _titled_name(bare) or _titled_name(head)
    if titled:
        return _Reading(**reading, titled=titled)
    kind = claimant_kind(head)
    if kind == "person" and DATA_NOUNS.search(bare.split()[-1]):  # "the YouGov poll"
        kind = "organization" if bare[:1].isupper() else "unnamed source"
    reading["tail"] = _name_tail(bare)
    if kind == "person":
        titles, name = split_titles(bare.split())
        if not name or not name[0][:1].isupper():
            return _Reading(**reading, kind="unnamed source", named=capitalize_first(bare))
        return _Reading(**reading, kind=kind, named=" ".join(name), titles=bool(titles))
    if kind == "unnamed source":
        return _Reading(**reading, kind=kind, named=capitalize_first(THE.sub("", who)))
    if kind == "media":
        stripped = REPORT_SUFFIX.sub("", bare)
        bare = stripped if MEDIA.search(stripped) and stripped.lower() != "media" else bare
    return _Reading(**reading, kind=kind, named=capitalize_first(_name_tail(bare)))


def _titled_name(head: str) -> str | None:
    """Return the person's name in "Government spokesman Friedhelm Ost", or None."""
    titles, name = split_titles(head.split())
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


@lru_cache(maxsize=1 << 13)  # ~1.5 MB
def _clean_who(who: str) -> str:
    """Tidy a who-phrase: whitespace, tickers, quotes, leading "but"/"on Monday", a possessive."""
    who = LEADING_CONTEXT.sub("", " ".join(strip_tickers(who).split()).strip(QUOTES + " ,"))
    return POSSESSIVE.sub("", who) if who.endswith(("’s", "'s")) else who
