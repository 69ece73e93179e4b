"""Find the quantities and dates a claim states: '2,500 terrorists' -> 2500 terrorists."""

import re

from review.extraction.patterns import DAYS, MONTHS, alternation, by_first_char, vocabulary

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
    rf"(?:\s+(?:US\s+|U\.S\.\s+)?(?P<money>{alternation('|'.join(CURRENCY_WORDS))})\b)?"
    r"(?:\s+(?:per|a)\s+(?P<per>[a-z]+)\b)?"
)
COUNTED = re.compile(r"\s+(?:of\s+)?(?P<first>[a-z][\w-]*)(?:\s+(?P<second>[a-z][\w-]*))?")
NOT_COUNTED = vocabulary(
    "of to in on at for and or the a an from by with than as over under up down more less is was were are has "
    "have had said says will would per vs against between about around nearly almost some percent pct million "
    "billion thousand mln bln times each year-on-year compared"
)
ADJECTIVE_END = re.compile(r"(?:ed|al|ive|ian|ese|ish|ic|ful|less|ous|ary|ern|ing)$|^(?:new|old|more|other|foreign|"
                           r"common|young|armed|local|small|large|big)$")
DURATION = vocabulary("years year months month weeks week days day hours hour minutes minute seconds decades decade")
YEAR_LIKE = re.compile(r"^(?:1[89]|20)\d{2}$")
# Dates by the words they open with, in the order they are tried: "Feb 26", "Feb. 26, 1987", "March 1987",
# "in March", "last week", "Sunday", "yesterday" (DATE_NUMBERS: "26 February", "1987").
DATE_FORMS = [
    (MONTHS, r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?(?!\d)"),
    (MONTHS, r"\.?\s+(?:1[89]|20)\d{2}"),
    ("in|since|by|until|from|of|early|late|mid|last|next|this|end of", rf"[\s-]+(?:{MONTHS})\b(?!\s+\d)"),
    ("last|this|next|earlier this|later this", rf"\s+(?:week|month|year|quarter|weekend|{DAYS}|{MONTHS})"),
    (f"{DAYS}|yesterday|today|tonight", ""),
]
# After a first digit: "26 February", or a year not followed by a percent sign (and not after "$", "1," or "1.");
# the lookbehinds read the digit already taken ("1[89]|20" and "(?<![\d,.$])" before it).
DATE_NUMBERS = (
    rf"\d?(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?(?:,?\s+\d{{4}})?"
    r"|(?<![\d,.$]\d)(?:(?<=1)[89]|(?<=2)0)\d{2}(?!\d|[.,]\d)(?!\s*(?:pct|percent|per cent|%))"
)
# The lookahead names every character a date can start with, so the scan skips other characters quickly;
# at a word start, the branch of its first character is the only one tried.
DATE = re.compile(rf"(?=[\dADFJMNOSTWbefilmnostuy])\b(?:{by_first_char(DATE_FORMS)}|\d(?:{DATE_NUMBERS}))\b")
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
    for quantity in found:  # the positions were only for _share_units
        del quantity["_start"], quantity["_end"]
    return found


def _quantity(text: str, match: re.Match) -> dict | None:
    """Describe one number match, or None when it is a year, a date or part of a name."""
    raw, scale = match.group("number"), match.group("tight") or match.group("scale")
    currency, percent, money = match.group("currency"), match.group("percent"), match.group("money")
    if not (currency or scale or percent or money) and YEAR_LIKE.match(raw):
        return None
    if not (currency or scale or percent):  # a bare number: a day, a year or part of a name?
        if NEAR_MONTH.search(text, max(0, match.start() - 10), match.start()):
            return None  # "Feb 26"
        if not money and DATE_AFTER.match(text, match.end()):
            return None  # "9 January"
        if NAME_BEFORE.search(text, max(0, match.start() - 20), match.start()):
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
