"""Score sentences for check-worthiness with a light hashed linear model.

A sentence is *check-worthy* when it states a verifiable fact that a
fact-checker would want to look into: statistics, quantities, money, named
actors doing or saying things.  Opinions, questions, promises and small talk
are not.

The model is a logistic regression over three feature groups, all computed
here in plain Python + numpy so that the runtime needs no scikit-learn:

* word unigrams and bigrams (plus the first word of the sentence), hashed;
* character 2..5-grams of the padded sentence, hashed;
* a few handcrafted cues that carry over from debate transcripts to news:
  numbers, quantities, money, percentages, capitalised names, attribution
  verbs, past-tense events, first/second-person opinions, hedges, questions.

Modules: ``lexicons`` (the handcrafted cues' word lists), ``hashing`` (byte
buffers, tokens, deterministic hashes), ``features`` (the feature groups),
``model`` (the weights in ``weights.json``, the threshold, scoring).
"""

from review.extraction.checkworthiness.model import CHECKWORTHY_THRESHOLD, score_sentences

__all__ = ["CHECKWORTHY_THRESHOLD", "score_sentences"]
