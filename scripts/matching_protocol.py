"""The honest protocol for "checked before?" matching (CheckThat! 2022 task 2A), used by bench/prior_claims.py.

Grouping: **by the verified claim a query repeats.** Queries that point at the same fact-check (or share one
through a chain of fact-checks) form one group, so a test fold holds tweets about claims whose other tweets
were never seen; folds are contiguous runs of groups ordered by fact-check id. Inside each outer fold the
BM25 parameters, the re-ranking weights (logistic regression over the candidates' features) and the
strong-match threshold are chosen on the training folds alone, then the held-out queries are ranked once.

The strong-match threshold must hold on claims nobody checked before, too: each query is also asked with its
own fact-checks taken out of the archive (its "unchecked twin"), and the threshold is the lowest at which the
strong matches of both together (as many never-checked claims as repeats) are right 95 % of the time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from review.matching import FEATURES, clean_claim_text
from scripts.protocol import contiguous_folds
from search_index.claim_table import ClaimTable, idf_weights, top_rows
from search_index.whoosh_schema import analyze

K = 5
BM25_GRID = tuple((k1, b) for k1 in (0.9, 1.2, 1.6) for b in (0.5, 0.75, 0.9))
C_GRID = (0.1, 1.0, 10.0)
STRONG_PRECISION = 0.95  # a "strong" match must be the right fact-check at least this often


def ap_at_k(ranked: Sequence[str], relevant: set[str], k: int = K) -> float:
    """Return AP@k of one ranking."""
    hits, total = 0, 0.0
    for position, found in enumerate(ranked[:k], 1):
        if found in relevant:
            hits += 1
            total += hits / position
    return total / min(len(relevant), k)


def query_groups(ids: list[str], relevant: dict[str, set[str]]) -> np.ndarray:
    """Return a group number per query: queries linked through a shared fact-check share a group."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for qid in ids:
        for vclaim in relevant[qid]:
            parent[root(vclaim)] = root(min(relevant[qid]))
    labels = sorted({root(min(relevant[q])) for q in ids})
    number = {label: n for n, label in enumerate(labels)}
    return np.array([number[root(min(relevant[q]))] for q in ids])


@dataclass
class Bm25Table:
    """A BM25 table over the fact-checks, with its own tokenizer."""

    ids: list[str]
    table: ClaimTable
    tokenize: object

    @classmethod
    def plain(cls, vclaims: list[dict]) -> "Bm25Table":
        """BM25 over the claim alone, lower-cased words: no stop words, stemming or tweet cleaning."""
        def tokenize(text):
            return re.findall(r"\w+", text.lower())
        return cls.build(vclaims, lambda v: v["vclaim"], tokenize)

    @classmethod
    def tuned(cls, vclaims: list[dict]) -> "Bm25Table":
        """BM25 as the product indexes: claim + title + subtitle in one field, the index's analyzer, tweet cleaning."""
        def tokenize(text):
            return analyze(" ".join(re.findall(r"\w+", clean_claim_text(text))))
        return cls.build(vclaims, lambda v: " ".join([v["vclaim"], v["title"], v["subtitle"]]), analyze, tokenize)

    @classmethod
    def build(cls, vclaims, text_of, index_tokens, query_tokens=None) -> "Bm25Table":
        """Build the table from each fact-check's text."""
        table = ClaimTable.build(list(range(len(vclaims))), (index_tokens(text_of(v)) for v in vclaims))
        return cls([v["vclaim_id"] for v in vclaims], table, query_tokens or index_tokens)

    def rank(self, text: str, k1: float, b: float, limit: int = K) -> list[str]:
        """Return the ids of the ``limit`` best fact-checks for a query."""
        tokens = self.tokenize(text)
        weights = idf_weights(tokens, [self.table], len(self.ids))
        scores = self.table.scores(weights, float(self.table.lengths.mean()), k1=k1, b=b)
        return [self.ids[row] for row in top_rows(scores, limit)]


def bm25_cv(table: Bm25Table, texts: list[str], relevant: list[set[str]], groups: np.ndarray,
            grid: Sequence[tuple[float, float]], outer_k: int) -> tuple[float, list[tuple[float, float]]]:
    """Return the cross-validated MAP@5 of BM25 with (k1, b) chosen on each outer fold's training queries."""
    rankings = {params: [table.rank(t, *params) for t in texts] for params in grid}
    ap = {params: np.array([ap_at_k(r, rel) for r, rel in zip(ranked, relevant)]) for params, ranked in rankings.items()}
    scores, picks = np.zeros(len(texts)), []
    for train, test in contiguous_folds(groups, outer_k):
        best = max(grid, key=lambda params: ap[params][train].mean())
        scores[test] = ap[best][test]
        picks.append(best)
    return float(scores.mean()), picks


@dataclass
class Candidates:
    """Every query's BM25 candidates: their feature rows, which are relevant, and the query each row belongs to."""

    features: np.ndarray  # (rows, len(FEATURES))
    relevant: np.ndarray  # bool per row
    query: np.ndarray  # query number per row
    n_queries: int
    n_relevant: np.ndarray  # relevant fact-checks per query


def fit_reranker(cands: Candidates, queries: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    """Fit the re-ranking logistic regression on the candidates of ``queries``; return (weights, intercept)."""
    from sklearn.linear_model import LogisticRegression

    rows = np.isin(cands.query, queries)
    mean, scale = cands.features[rows].mean(axis=0), cands.features[rows].std(axis=0) + 1e-9
    model = LogisticRegression(C=C, solver="lbfgs", max_iter=2000)
    model.fit((cands.features[rows] - mean) / scale, cands.relevant[rows])
    weights = model.coef_.ravel() / scale  # folded back: the shipped model reads unscaled features
    return weights, float(model.intercept_[0] - weights @ mean)


def query_results(cands: Candidates, queries: np.ndarray, weights: np.ndarray, intercept: float):
    """Return per query: AP@5, top-1 probability, whether top-1 is relevant, and the unchecked twin's top-1
    probability (the best candidate that is not one of its fact-checks)."""
    probability = 1 / (1 + np.exp(-(cands.features @ weights + intercept)))
    by_query = np.argsort(cands.query, kind="stable")  # each query's rows, in their order, found by bisection
    bounds = np.searchsorted(cands.query[by_query], np.arange(cands.n_queries + 1))
    out = {}
    for q in queries:
        rows = by_query[bounds[q]:bounds[q + 1]]
        if not len(rows):
            out[q] = (0.0, 0.0, False, 0.0)
            continue
        order = rows[np.argsort(-probability[rows], kind="stable")]
        hits = cands.relevant[order[:K]]
        ap = sum((hits[:i + 1].sum() / (i + 1)) for i in range(len(hits)) if hits[i]) / min(cands.n_relevant[q], K)
        others = probability[rows[~cands.relevant[rows]]]
        out[q] = (float(ap), float(probability[order[0]]), bool(cands.relevant[order[0]]),
                  float(others.max()) if len(others) else 0.0)
    return out


def strong_threshold(top: list[tuple[float, bool]], unchecked: list[float] = (),
                     precision: float = STRONG_PRECISION) -> float:
    """Return the lowest top-1 probability above which the top match is right at least ``precision`` of the time,
    counting as wrong every unchecked twin whose best candidate reaches it."""
    ordered = sorted([(score, correct) for score, correct in top] + [(score, False) for score in unchecked],
                     key=lambda pair: -pair[0])
    right, chosen = 0, 1.0
    for n, (score, correct) in enumerate(ordered, 1):
        right += correct
        if right / n >= precision:
            chosen = score
    return round(float(chosen), 3)


def choose_reranker(cands: Candidates, queries: np.ndarray, groups: np.ndarray, inner_k: int):
    """Pick C by inner grouped CV MAP@5, fit on all ``queries``, and set the strong threshold on inner OOF top-1s.

    Returns (inner MAP@5, C, weights, intercept, threshold).
    """
    best = None
    for C in C_GRID:
        results = {}
        for train, test in contiguous_folds(groups[queries], inner_k):
            results.update(query_results(cands, queries[test], *fit_reranker(cands, queries[train], C)))
        score = np.mean([results[q][0] for q in queries])
        if best is None or score > best[0]:
            best = (score, C, results)
    score, C, results = best
    threshold = strong_threshold([(results[q][1], results[q][2]) for q in queries], [results[q][3] for q in queries])
    weights, intercept = fit_reranker(cands, queries, C)
    return float(score), C, weights, intercept, threshold


def choose_all(pools: dict, queries: np.ndarray, groups: np.ndarray, inner_k: int):
    """Pick the BM25 setting (a key of ``pools``: its candidates) and the re-ranker with the best inner MAP@5."""
    best = None
    for params, cands in pools.items():
        picked = choose_reranker(cands, queries, groups, inner_k)
        if best is None or picked[0] > best[1][0]:
            best = (params, picked)
    return best


def rerank_cv(pools: dict, groups: np.ndarray, outer_k: int, inner_k: int) -> dict:
    """Return the cross-validated MAP@5 of the product's re-ranking (pooled and per outer fold) and the strong
    threshold's precision and reach; whatever ``pools`` offers (their keys) is chosen inside, per outer fold."""
    n_queries = next(iter(pools.values())).n_queries
    aps, strong, right, picks, false_unchecked, folds = np.zeros(n_queries), 0, 0, [], 0, []
    for train, test in contiguous_folds(groups, outer_k):
        params, (_, C, weights, intercept, threshold) = choose_all(pools, train, groups, inner_k)
        picks.append((params, C, threshold))
        folds.append(test)
        for q, (ap, top, correct, twin) in query_results(pools[params], test, weights, intercept).items():
            aps[q] = ap
            if top >= threshold:
                strong += 1
                right += correct
            false_unchecked += twin >= threshold
    return {"map5": float(aps.mean()), "fold_map5": [float(aps[test].mean()) for test in folds],
            "strong_precision": right / max(strong, 1),
            "strong_share": strong / n_queries, "unchecked_strong_share": false_unchecked / n_queries,
            "mixed_precision": right / max(strong + false_unchecked, 1), "picks": picks, "features": FEATURES}
