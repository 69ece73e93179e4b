"""Index the people and organizations a document names, and the titles that mark a person."""

import re
from bisect import bisect_right
from functools import lru_cache

from review.extraction.claimant_kinds import GOVERNMENTS, MEDIA, ORGANIZATION
from review.extraction.patterns import alternation, vocabulary

PLURAL_TITLES = vocabulary(
    "senators sens ministers governors mayors congressmen congresswomen representatives reps judges justices "
    "ambassadors envoys generals presidents chancellors commanders directors"
)
PERSON_TITLES = vocabulary(
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
    "member councilmember councilor alderman alderwoman assemblywoman assemblymember trustee selectman "
    "of the"
)
TITLE_LINKS = vocabulary("of the")
PERSON_ROLES = vocabulary(
    "chief executive president minister chairman chairwoman director spokesman spokeswoman spokesperson analyst "
    "economist professor secretary governor senator manager lawyer attorney editor head leader founder "
    "ambassador adviser advisor commissioner mayor judge correspondent researcher strategist partner treasurer "
    "officer investor broker trader consultant deputy vice-president vice-chairman member councillor councilor "
    "councilmember alderman"
)
APPOSITIVE_ROLE = re.compile(
    rf",\s+(?:the|a|an|its|his|her|their)?\s*(?:[\w.'’&-]+\s+){{0,4}}?(?:{alternation('|'.join(PERSON_ROLES))})\b"
)
NAME_PARTICLES = "al|bin|ibn|de|del|della|da|dos|du|van|von|der|den|la|le|di|el"
ABBREVIATIONS = "Mrs|Mr|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Col|Lt|Capt|Prof"
NAME_TOKEN = (
    rf"(?:(?:[A-Z]\.){{2,}}|(?:{ABBREVIATIONS})\.|[A-Z]\.(?=[ \t]+[A-Z])|[A-Z][\w’'-]*|(?:al|el)-[A-Z][\w-]*)"
)
MORE_TOKENS = rf"(?:[ \t\n]+(?:(?:{NAME_PARTICLES})[ \t\n]+)?{NAME_TOKEN})*"
# The lookahead names every letter a run can start with, so the scan skips other characters quickly.
NAME_RUN = re.compile(rf"(?=[A-Zae])(?<![\w’'-]){NAME_TOKEN}{MORE_TOKENS}")
# The same runs in a text without "al-" or "el-", where every run starts with a capital: the first token is
# NAME_TOKEN's capitalized alternatives, in its order, written after their first letter. Opening on a consumed
# character class (not a lookahead) lets the scan jump from capital to capital; CPU of the scan about -30%.
CAPITALIZED_RUN = re.compile(
    r"[A-Z](?<![\w’'-].)(?:\.(?:[A-Z]\.)+|(?:%s)\.|\.(?=[ \t]+[A-Z])|[\w’'-]*)%s"
    % ("|".join(f"(?<={word[0]}){word[1:]}" for word in ABBREVIATIONS.split("|")), MORE_TOKENS)
)
ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z][A-Z0-9&.-]{1,9})\)")
HYPHEN = re.compile(r"[-/]")
ACRONYM_FILLERS = vocabulary("of for and the de on in al el du des la le del & und et")
POSSESSIVE = re.compile(r"[’']s?$")
POSSESSIVE_ENDS = ("’", "'", "’s", "'s")  # a token without one of these ends has nothing to strip

NOT_A_NAME = vocabulary(
    "The A An This That These Those It He She They We I But And In On At For As If When While After Before "
    "However Meanwhile Also Some Many Most One Other Such What Why How Who So Yet Still Earlier Later Last "
    "According Under With Since By From Both Each Despite Although Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November December "
    "Shares Prices Sales Net Revenue Reuter Reuters"
)


class NameIndex:
    """The people and organizations a document names, built in one pass over its text."""

    def __init__(self, text: str):
        self.people: dict[str, str] = {}  # surname or full name -> fullest person name
        self.orgs: dict[str, str] = {}  # acronym, first words or full name -> fullest org name
        self.roles: dict[str, str] = {}  # "foreign minister" -> "Sergey Lavrov"
        self.titled: set[str] = set()  # people named with a title somewhere ("President Bashar Assad")
        self._mentions: list[tuple[int, str]] = []  # (position, fullest name) of each person named, any order
        self._positions: list[int] | None = None  # their positions in order, once a pronoun needs them
        singles: list[tuple[int, str, bool]] = []
        runs = NAME_RUN if "al-" in text or "el-" in text else CAPITALIZED_RUN
        may_spell = "(" in text  # "Economic Commission for Latin America (ECLAC)"
        for match in runs.finditer(text):
            run = _read_run(match.group())
            if run is not None:  # None: sentence-opening words only ("The", "Reuter")
                self._add_run(text, match, run, singles, may_spell)
        for position, token, titled in singles:
            fullest = self.people.get(token)
            if fullest or titled:
                self.people.setdefault(token, token)
                if titled:
                    self.titled.add(self.people[token])
                self._mentions.append((position, fullest or token))

    def _add_run(self, text: str, match: re.Match, run: tuple, singles: list, may_spell: bool) -> None:
        """Index one run of capitalized words as a person, an organization, or a lone name to decide later."""
        titles, name, full, joined, organization, person = run
        acronym = may_spell and ACRONYM_AFTER.match(text, match.end())
        if acronym:
            letters = acronym.group("acronym")
            self._add_org(_expand_acronym(text, match.end(), letters) or full, letters)
            return
        if organization:  # "Foreign Ministry", not "Judge Eugene Gordon"
            self._add_org(full, None)
            return
        if len(name) > 1 and not person:  # "Brazil Argentina": neither a person nor a lone name; no role to read
            return
        titled = bool(titles) or _has_role_nearby(text, match)  # "Smith, the chief executive", "analyst Jo Lee"
        if len(name) == 1:
            singles.append((match.start(), name[0], titled))
            return
        people = self.people
        for key in (name[-1], joined):
            if len(joined) > len(people.get(key, "")):
                people[key] = joined
        if titled:
            for key in _role_keys(titles):
                self.roles.setdefault(key, joined)
            self.titled.add(joined)
        self._mentions.append((match.start(), joined))

    def _add_org(self, name: str, acronym: str | None) -> None:
        """Index an organization under its full name, its acronym and its first words."""
        orgs = self.orgs
        for key in _org_keys(name, acronym):
            if key not in orgs or (key == acronym and len(name) > len(orgs[key])):
                orgs[key] = name

    def fullest_person(self, name: str) -> str:
        """Return the fullest form of a person's name used in the document."""
        return self.people.get(name) or self.people.get(name.split()[-1], name) if name else name

    def fullest_org(self, name: str) -> str | None:
        """Return the fullest form of an organization's name, or None when it is not one named here."""
        return self.orgs.get(name)

    def person_before(self, sentence_index: int, sentence_starts: list[int]) -> str | None:
        """Return the first person named in the nearest earlier sentence that names one (its likely subject)."""
        if self._positions is None:  # ordered on first need: most documents never ask
            self._mentions.sort()  # positions are distinct (one run each), so this orders by position alone
            self._positions = [position for position, _ in self._mentions]
        mentions = self._mentions
        index = bisect_right(self._positions, sentence_starts[sentence_index] - 1) - 1
        if index < 0:
            return None
        sentence_start = sentence_starts[bisect_right(sentence_starts, mentions[index][0]) - 1]
        while index > 0 and mentions[index - 1][0] >= sentence_start:
            index -= 1
        return mentions[index][1]


@lru_cache(maxsize=1 << 16)
def _read_run(run: str) -> tuple | None:
    """Read a run of capitalized words on its own; None when only sentence-opening words remain.

    Returns (titles, name, full, joined, organization?, person?): "Russian Foreign Minister Sergey Lavrov" ->
    ("Russian", "Foreign", "Minister"), ("Sergey", "Lavrov"), the run without opening words and possessives,
    "Sergey Lavrov", False, True. The same runs ("Reuters", "U.S.", company names) recur in story after story,
    so each is read once per process; what depends on the text around it is not here.
    """
    tokens = [POSSESSIVE.sub("", t) if t.endswith(POSSESSIVE_ENDS) else t for t in run.split()]
    while tokens and tokens[0] in NOT_A_NAME:
        tokens.pop(0)
    if not tokens:
        return None
    titles, name = split_titles(tokens)
    joined = " ".join(name)
    organization = bool(ORGANIZATION.search(joined) or MEDIA.search(joined))
    person = 1 < len(name) <= 4 and not any(t in GOVERNMENTS for t in name)
    return tuple(titles), tuple(name), " ".join(tokens), joined, organization, person


@lru_cache(maxsize=1 << 12)
def _role_keys(titles: tuple[str, ...]) -> tuple[str, ...]:
    """Return the roles a title names, shortest first: "minister", "foreign minister", "russian foreign minister"."""
    lowered = [t.lower() for t in titles]
    return tuple(" ".join(lowered[-n:]) for n in range(1, len(lowered) + 1))


@lru_cache(maxsize=1 << 13)
def _org_keys(name: str, acronym: str | None) -> tuple[str, ...]:
    """Return the keys an organization is found under, in the order they are claimed: name, acronym, first words."""
    words = name.split()
    return tuple(filter(None, [name, acronym] + [" ".join(words[:n]) for n in range(1, len(words))]))


def _has_role_nearby(text: str, match: re.Match) -> bool:
    """Tell whether a name has a person's role in apposition or just before it."""
    if text.startswith(",", match.end()) and APPOSITIVE_ROLE.match(text, match.end()):
        return True
    before = text[max(0, match.start() - 30):match.start()].rsplit(None, 1)
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


def split_titles(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Split "Russian Foreign Minister Sergey Lavrov" into titles and the name."""
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        lower = token.lower()
        if (lower in PERSON_TITLES or lower in PLURAL_TITLES) and lower not in TITLE_LINKS:  # "of the" inside a title
            cut = i + 1
    return tokens[:cut], tokens[cut:]
