"""Word lists behind the handcrafted features, and the order of the dense feature columns."""

# Handcrafted cues.  Entries with a space are matched as word bigrams.
LEXICONS: dict[str, tuple[str, ...]] = {
    "quantity": (
        "million", "millions", "billion", "billions", "trillion", "thousand",
        "thousands", "hundred", "hundreds", "dozen", "dozens", "half", "twice",
        "double", "doubled", "tripled", "quadrupled", "majority", "average",
        "rate", "rates", "number", "numbers", "total", "per", "percent",
        "percentage", "per cent", "one third", "one quarter",
    ),
    "money": (
        "dollar", "dollars", "cents", "pounds", "euros", "yen", "rubles",
        "budget", "deficit", "debt", "spending", "spent", "paid", "pay",
        "cost", "costs", "price", "prices", "revenue", "profit", "tax",
        "taxes", "funding", "fund",
    ),
    "attribution": (
        "said", "says", "told", "reported", "reports", "report", "according to",
        "claimed", "claims", "stated", "announced", "confirmed", "denied",
        "added", "estimated", "estimates", "showed", "shows", "found",
        "revealed", "accused", "warned", "admitted", "testified", "cited",
    ),
    "past_irregular": (
        "was", "were", "had", "did", "went", "got", "made", "took", "gave",
        "paid", "lost", "won", "cut", "rose", "fell", "grew", "spent", "sold",
        "bought", "built", "left", "began", "came", "became", "brought",
        "held", "met", "led", "sent", "put", "set", "hit", "shot", "ran",
        "wrote", "saw", "knew", "took", "fought", "struck", "seized",
    ),
    "first_singular": ("i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"),
    "first_plural": (
        "we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd",
        "we'll", "let's",
    ),
    "second_person": ("you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd"),
    "opinion_verb": (
        "think", "believe", "feel", "hope", "should", "must", "ought", "want",
        "wish", "guess", "need", "shouldn't", "mustn't", "suppose", "agree",
        "disagree", "love", "hate", "like",
    ),
    "personal_opinion": (
        "i think", "i believe", "i feel", "i hope", "i guess", "i want",
        "i agree", "i disagree", "i know", "i mean", "we should", "we must",
        "we need", "we have", "we ought", "you should", "you must",
        "let me", "let us", "you know", "in my", "my view", "my opinion",
        "i would", "i will", "we will", "we're going", "i'm going",
    ),
    "hedge": (
        "maybe", "perhaps", "probably", "might", "possibly", "seems", "seem",
        "likely", "unlikely", "somewhat", "kind of", "sort of", "could",
        "would", "may",
    ),
    "evaluative": (
        "great", "good", "bad", "terrible", "wonderful", "unacceptable",
        "disgrace", "disgraceful", "ridiculous", "amazing", "horrible",
        "tremendous", "beautiful", "wrong", "fair", "unfair", "important",
        "proud", "sad", "shame", "nonsense", "awful", "incredible", "stupid",
        "best", "nice", "kind", "honest", "dishonest", "outrageous",
        "shameful", "absurd", "disaster", "disastrous",
    ),
    "future": ("will", "won't", "going to", "gonna", "i'll", "we'll", "you'll", "shall"),
    "change": (
        "increased", "decreased", "increase", "decrease", "rose", "fell",
        "risen", "fallen", "grew", "dropped", "declined", "more than",
        "less than", "fewer than", "higher", "lower", "highest", "lowest",
        "largest", "biggest", "record", "doubled", "tripled", "cut", "cuts",
        "raised", "lowered", "since", "ago", "up", "down",
    ),
    "discourse": (
        "well", "okay", "ok", "yes", "no", "thank", "thanks", "sir", "folks",
        "look", "listen", "excuse", "please", "applause", "laughter",
        "frankly", "obviously", "believe me",
    ),
    "time_reference": (
        "yesterday", "today", "last week", "last year", "last month",
        "this year", "this week", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "june", "july", "august", "september", "october",
        "november", "december", "years", "year", "months", "weeks", "days",
        "since", "during", "when",
    ),
    "legal_official": (
        "law", "bill", "voted", "vote", "votes", "congress", "senate",
        "government", "administration", "court", "military", "forces",
        "troops", "police", "ministry", "minister", "president", "officials",
        "official", "agency", "department", "killed", "attacked", "arrested",
    ),
}

DENSE_FEATURES: tuple[str, ...] = (
    "log_tokens",
    "short",
    "numbers",
    "percent_sign",
    "currency_sign",
    "capitalized",
    "past_ed",
    "question_end",
    "question_any",
    "exclamation",
    "quote_marks",
    *(f"lex_{name}" for name in LEXICONS),
)
