"""Training the answer selector: a ranker that chooses the sentence, a classifier that says whether
its answer is right, calibrated, and the refusal threshold, all validated on held-out articles.

Examples are split into folds by article (`Asked.group`), never by question. The ranker's scores
of each fold come from a ranker that did not see its articles; the classifier learns from those
scores, its probabilities are calibrated (isotonic) on folds it was not fitted on, and the
threshold is the lowest calibrated confidence at which answered questions are right at least
`precision` of the time. The saved models are then fitted on everything.
"""

from __future__ import annotations

import hashlib
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.selection.dataset import Example
from assistant.selection.features import QUESTION_FEATURES, SENTENCE_FEATURES, question_features
from assistant.selection.model import FORMAT, Calibration, Selector

logger = logging.getLogger(__name__)

FOLDS = 5
RANKER_ROUNDS = 150
CLASSIFIER_ROUNDS = 120
# The threshold is chosen for a mix of mostly answerable questions: this share of each source's
# questions (the training data asks each question once answerable and once not, half and half).
ANSWERABLE_SHARE = 0.9
# The classifier learns from the open-domain sets and the product's own domain (the bundled sets and
# their articles asked without the answering ones): the domain, a few hundred questions among
# thousands, weighs this share of the whole, so that what tells one measure of a place from another
# (assistant.selection.measures) is learnt at all.
DOMAIN_SOURCE, DOMAIN_SHARE = "bundled", 0.25
# The refusal floor may withhold this many right answers to the domain's questions out of fold: one
# lone low judgement (0.019 against 0.059 for the next) otherwise sets the floor for every answer.
FLOOR_SLACK = 1


@dataclass
class Fitted:
    """Out-of-fold predictions for every example, and the final selector."""

    selector: Selector
    best: np.ndarray  # index of the ranker's choice per example
    confidence: np.ndarray  # calibrated, from models that did not see the example's article
    right: np.ndarray  # the answer judged holds a gold answer (the rules', or the ranker's choice's quote)
    folds: np.ndarray
    weights: np.ndarray  # each example's weight in the mix the threshold is chosen for
    by_rules: np.ndarray  # the rules answered (their answer is judged), else the ranker's choice is


def folds_of(groups: Sequence[str], seed: int, folds: int = FOLDS) -> np.ndarray:
    """The fold of each example: a hash of its article (and the seed), so one article is in one fold."""
    names = sorted(set(groups))
    order = sorted(names, key=lambda g: hashlib.sha1(f"{seed}:{g}".encode()).hexdigest())
    fold_of = {g: i % folds for i, g in enumerate(order)}
    return np.asarray([fold_of[g] for g in groups])


def _params(seed: int, objective: str) -> dict[str, Any]:
    return {
        "objective": objective,
        "learning_rate": 0.08,
        "num_leaves": 15 if objective == "lambdarank" else 7,
        "min_data_in_leaf": 40,
        "feature_fraction": 0.8,
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        # One thread: on a shared 2-core machine OpenMP's waits for a descheduled second thread cost
        # more than the thread gains.
        "num_threads": 1,
        "verbose": -1,
    }


def _fit_ranker(examples: Sequence[Example], seed: int) -> Any:
    import lightgbm

    used = [e for e in examples if e.relevance.any()]
    rows = np.concatenate([e.rows for e in used])
    data = lightgbm.Dataset(
        rows,
        np.concatenate([e.relevance for e in used]),
        group=[len(e.rows) for e in used],
        feature_name=list(SENTENCE_FEATURES),
        free_raw_data=True,
    )
    return lightgbm.train(_params(seed, "lambdarank"), data, num_boost_round=RANKER_ROUNDS)


def source_weights(examples: Sequence[Example], domain_share: float = DOMAIN_SHARE) -> np.ndarray:
    """Weights that give the domain source `domain_share` of the total (1 each without it)."""
    domain = np.asarray([e.asked.group.split(":")[0] == DOMAIN_SOURCE for e in examples])
    weights = np.ones(len(examples))
    if domain.any() and not domain.all():
        weights[domain] = domain_share / domain.sum()
        weights[~domain] = (1 - domain_share) / (~domain).sum()
    return weights / weights.mean()


def _fit_classifier(rows: np.ndarray, labels: np.ndarray, seed: int, weights: np.ndarray) -> Any:
    import lightgbm

    data = lightgbm.Dataset(rows, labels.astype(float), weight=weights, feature_name=list(QUESTION_FEATURES))
    return lightgbm.train(_params(seed, "binary"), data, num_boost_round=CLASSIFIER_ROUNDS)


def question_rows(examples: Sequence[Example], scores: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Question features given ranker scores, judging the rules' answer where they gave one and the
    ranker's best candidate where they refused (as `judging.judge` does); and each example's ranker best."""
    rows, best = [], []
    for e, s in zip(examples, scores, strict=True):
        b = int(np.argmax(s))
        best.append(b)
        rules, _, chars, sentences = (int(v) for v in e.rules)
        if rules >= 0:
            rows.append(question_features(e.rows, s, e.docs, chars, e.retrieval, rules, sentences))
        else:
            rows.append(question_features(e.rows, s, e.docs, float(e.chars[b]), e.retrieval))
    return np.asarray(rows, dtype=np.float64), np.asarray(best)


def judged_right(examples: Sequence[Example], best: np.ndarray) -> np.ndarray:
    """Whether the answer judged holds a gold answer: the rules' where they answered, else the
    ranker's best candidate's quote."""
    return np.asarray(
        [
            bool(e.rules[1]) if e.rules[0] >= 0 else bool(e.right[b])
            for e, b in zip(examples, best, strict=True)
        ]
    )


def mix_weights(examples: Sequence[Example], answerable_share: float) -> np.ndarray:
    """Weights that make answerable questions `answerable_share` of each source's total (the mix
    of questions the threshold is chosen for)."""
    weights = np.ones(len(examples))
    sources = np.asarray([e.asked.group.split(":")[0] for e in examples])
    able = np.asarray([bool(e.asked.docs) for e in examples])
    for source in set(sources.tolist()):
        here = sources == source
        n_able, n_unable = int((here & able).sum()), int((here & ~able).sum())
        if n_able and n_unable:
            weights[here & able] = answerable_share / n_able
            weights[here & ~able] = (1 - answerable_share) / n_unable
        else:
            weights[here] = 1.0 / int(here.sum())
    return weights / weights.mean()


def fit(
    examples: list[Example],
    seed: int = 0,
    precision: float = 0.95,
    answerable_share: float = ANSWERABLE_SHARE,
) -> Fitted:
    folds = folds_of([e.asked.group for e in examples], seed)
    scores: list[np.ndarray] = [np.zeros(0)] * len(examples)
    for k in range(FOLDS):
        ranker = _fit_ranker([e for e, f in zip(examples, folds, strict=True) if f != k], seed)
        for i in np.flatnonzero(folds == k):
            scores[i] = ranker.predict(examples[i].rows)
        print(f"  ranker fold {k + 1}/{FOLDS} fitted", file=sys.stderr)
    qrows, best = question_rows(examples, scores)
    right = judged_right(examples, best)
    raw = np.zeros(len(examples))
    learn = source_weights(examples)
    for k in range(FOLDS):
        classifier = _fit_classifier(qrows[folds != k], right[folds != k], seed, learn[folds != k])
        raw[folds == k] = classifier.predict(qrows[folds == k])
    confidence = np.zeros(len(examples))
    for k in range(FOLDS):  # calibrated by what the other folds' probabilities turned out to be
        confidence[folds == k] = Calibration.fit(raw[folds != k], right[folds != k]).apply(raw[folds == k])
    weights = mix_weights(examples, answerable_share)
    by_rules = np.asarray([e.rules[0] >= 0 for e in examples])
    rescue, threshold = thresholds(confidence, right, by_rules, weights, precision)
    selector = Selector(
        ranker=_fit_ranker(examples, seed),
        classifier=_fit_classifier(qrows, right, seed, learn),
        calibration=Calibration.fit(raw, right),
        threshold=threshold,
        meta={
            "format": FORMAT,
            "seed": seed,
            "examples": len(examples),
            "precision_target": precision,
            "answerable_share": answerable_share,
            "rescue": rescue,
            "domain_floor": domain_floor(
                examples, answerable_confidence(confidence, by_rules, rescue), right
            ),
        },
    )
    return Fitted(selector, best, confidence, right, folds, weights, by_rules)


def domain_floor(
    examples: Sequence[Example], decisive: np.ndarray, right: np.ndarray, slack: int = FLOOR_SLACK
) -> float:
    """The highest refusal threshold that, out of fold, withholds at most `slack` right answers to
    the questions of the domain sets as asked (their articles in place): where
    `answer.min_confidence` can stand without costing the product's own questions an answer. 0
    without such questions."""
    asked = np.asarray([e.asked.variant == "domain" and bool(e.asked.docs) for e in examples])
    kept = np.sort(decisive[asked & right & np.isfinite(decisive)])
    return float(kept[min(slack, len(kept) - 1)]) if len(kept) else 0.0


def thresholds(
    confidence: np.ndarray, right: np.ndarray, by_rules: np.ndarray, weights: np.ndarray, precision: float
) -> tuple[float, float]:
    """The rescue threshold (where the rules refuse, the ranker's sentence answers from it: those
    answers alone right `precision` of the time) and the refusal threshold (all answers given
    together right `precision` of the time), both in the weighted mix."""
    refused = ~by_rules
    rescue = choose_threshold(confidence[refused], right[refused], precision, weights[refused])
    return rescue, max(
        0.0, choose_threshold(answerable_confidence(confidence, by_rules, rescue), right, precision, weights)
    )


def answerable_confidence(confidence: np.ndarray, by_rules: np.ndarray, rescue: float) -> np.ndarray:
    """The confidence that decides whether an answer is given: the rules' answer's, or the ranker's
    where it reaches the rescue threshold; -inf (never given) otherwise."""
    return np.where(by_rules | (confidence >= rescue), confidence, -np.inf)


def choose_threshold(
    confidence: np.ndarray, right: np.ndarray, precision: float, weights: np.ndarray | None = None
) -> float:
    """The lowest confidence at which the answers given (every one at least that confident) are
    right at least `precision` of the time (each answer counted with its weight); above every
    confidence when none is."""
    w = np.ones(len(confidence)) if weights is None else weights
    levels, inverse = np.unique(confidence, return_inverse=True)
    given = np.bincount(inverse, weights=w, minlength=len(levels))[::-1].cumsum()  # from the top down
    good = np.bincount(inverse, weights=w * right, minlength=len(levels))[::-1].cumsum()
    ok = np.flatnonzero(good / given >= precision)
    if not len(ok):
        return float(np.nextafter(levels[-1], np.inf)) if len(levels) else 1.0
    return float(levels[::-1][ok[-1]])
