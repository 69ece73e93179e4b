"""Index the people and organizations a document names, and the titles that mark a person."""

import re
from bisect import bisect_right
from dataclasses import dataclass
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
NAME_TOKEN = (
    r"(?:(?:[A-Z]\.){2,}|(?:Mrs|Mr|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Col|Lt|Capt|Prof)\.|[A-Z]\.(?=[ \t]+[A-Z])"
    r"|[A-Z][\w’'-]*|(?:al|el)-[A-Z][\w-]*)"
)
# The lookahead names every letter a run can start with, so the scan skips other characters quickly.
NAME_RUN = re.compile(
    rf"(?=[A-Zae])(?<![\w’'-]){NAME_TOKEN}(?:[ \t\n]+(?:(?:{NAME_PARTICLES})[ \t\n]+)?{NAME_TOKEN})*"
)
ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z][A-Z0-9&.-]{1,9})\)")
HYPHEN = re.compile(r"[-/]")
ACRONYM_FILLERS = vocabulary("of for and the de on in al el du des la le del & und et")
POSSESSIVE = re.compile(r"[’']s?$")

NOT_A_NAME = vocabulary(
    "The A An This That These Those It He She They We I But And In On At For As If When While After Before "
    "However Meanwhile Also Some Many Most One Other Such What Why How Who So Yet Still Earlier Later Last "
    "According Under With Since By From Both Each Despite Although Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November December "
    "Shares Prices Sales Net Revenue Reuter Reuters"
)


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
        run = _read_run(match.group(0))
        if run is None:
            return
        titles, name, full, joined, organization, person = run
        acronym = ACRONYM_AFTER.match(text, match.end())
        if acronym:
            letters = acronym.group("acronym")
            self._add_org(_expand_acronym(text, match.end(), letters) or full, letters)
            return
        if organization:  # "Foreign Ministry", not "Judge Eugene Gordon"
            self._add_org(full, None)
            return
        titled = bool(titles) or _has_role_nearby(text, match)  # "Smith, the chief executive", "analyst Jo Lee"
        if len(name) == 1:
            singles.append((match.start(), name[0], titled))
            return
        if not person:
            return
        for key in (name[-1], joined):
            if len(joined) > len(self.people.get(key, "")):
                self.people[key] = joined
        if titled:
            self._add_roles(titles, joined)
            self.titled.add(joined)
        self.mentions.append(Mention(match.start(), joined))

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


@lru_cache(maxsize=1 << 16)
def _read_run(run: str) -> tuple[tuple[str, ...], tuple[str, ...], str, str, bool, bool] | None:
    """Read a run of capitalized words on its own: (titles, name, full, joined name, organization?, person?).

    None when only sentence-opening words remain. The same runs ("Reuters", "U.S.", company names) recur
    in story after story, so each is read once per process; what depends on the text around it is not here.
    """
    tokens = [POSSESSIVE.sub("", t) for t in run.split()]
    while tokens and tokens[0] in NOT_A_NAME:
        tokens.pop(0)
    if not tokens:
        return None
    titles, name = split_titles(tokens)
    joined = " ".join(name)
    organization = bool(ORGANIZATION.search(joined) or MEDIA.search(joined))
    person = 1 < len(name) <= 4 and not any(t in GOVERNMENTS for t in name)
    return tuple(titles), tuple(name), " ".join(tokens), joined, organization, person


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
