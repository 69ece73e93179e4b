"""Tell what kind of claimant a name is: person, organization, media, or unnamed source."""

import re

from review.extraction.patterns import any_of, vocabulary

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
MEDIA = any_of(MEDIA_WORDS, re.I)
UNNAMED = any_of(UNNAMED_WORDS, re.I)
ORGANIZATION = any_of(ORGANIZATION_WORDS, re.I)
SOURCE_HEADS = any_of(f"{MEDIA_WORDS}|{UNNAMED_WORDS}|{ORGANIZATION_WORDS}", re.I)
GOVERNMENTS = vocabulary(
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

TWO_CAPITALIZED = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
ACRONYM = re.compile(r"[A-Z][A-Z.&-]{1,9}")


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
