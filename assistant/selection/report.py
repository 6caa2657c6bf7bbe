"""Validation figures of a trained selector, from its out-of-fold predictions (held-out articles)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.selection.dataset import Example
from assistant.selection.features import SENTENCE_FEATURES
from assistant.selection.training import Fitted, answerable_confidence

# Confidence bins of the reliability table.
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 1.0001)
_DOC_RANK = SENTENCE_FEATURES.index("doc_rank")


def figures(examples: Sequence[Example], fitted: Fitted, threshold: float | None = None) -> dict[str, Any]:
    """Per source (the prefix of the article group): figures of answerable and unanswerable
    questions at the selector's threshold, against the rules alone, and the reliability table."""
    threshold = fitted.selector.threshold if threshold is None else threshold
    rescue = float(fitted.selector.meta.get("rescue", 1.01))
    answered = answerable_confidence(fitted.confidence, fitted.by_rules, rescue) >= threshold
    out: dict[str, Any] = {"threshold": round(threshold, 4), "rescue": round(rescue, 4)}
    sources = sorted({e.asked.group.split(":")[0] for e in examples})
    for source in sources:
        idx = [i for i, e in enumerate(examples) if e.asked.group.startswith(source + ":")]
        out[source] = _source(examples, fitted, answered, idx)
    out["all"] = _source(examples, fitted, answered, list(range(len(examples))))
    out["reliability"] = reliability(fitted.confidence, fitted.right)
    out["thresholds"] = sweep(examples, fitted, rescue)
    return out


SWEEP = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def _mix_right(fitted: Fitted, answered: np.ndarray) -> float:
    """Share of answers given that are right, in the weighted mix of mostly answerable questions."""
    w = fitted.weights * answered
    return round(float((w * fitted.right).sum() / w.sum()) if w.sum() else 0.0, 4)


def sweep(examples: Sequence[Example], fitted: Fitted, rescue: float) -> list[dict[str, Any]]:
    """What other thresholds would give, over all sources: the trade between wrong answers and
    refusals of answerable questions."""
    able = np.asarray([bool(e.asked.docs) for e in examples])
    decisive = answerable_confidence(fitted.confidence, fitted.by_rules, rescue)
    rows = []
    for t in SWEEP:
        answered = decisive >= t
        rows.append(
            {
                "threshold": t,
                "containment": round(float((answered & fitted.right)[able].mean()), 4),
                "false_refusals": round(float((~answered)[able].mean()), 4),
                "unanswerable_refused": round(float((~answered)[~able].mean()), 4),
                "answered_right": round(float(fitted.right[answered].mean()) if answered.any() else 0.0, 4),
                "answered_right_mix": _mix_right(fitted, answered),
            }
        )
    return rows


def _source(
    examples: Sequence[Example], fitted: Fitted, answered: np.ndarray, idx: list[int]
) -> dict[str, Any]:
    able = [i for i in idx if examples[i].asked.docs]
    unable = [i for i in idx if not examples[i].asked.docs]
    judged = [
        int(e.rules[0]) if e.rules[0] >= 0 else int(b) for e, b in zip(examples, fitted.best, strict=True)
    ]
    first_doc = [bool((examples[i].gold_doc & (examples[i].rows[:, _DOC_RANK] == 0)).any()) for i in able]
    chosen_doc = [bool(answered[i] and examples[i].gold_doc[judged[i]]) for i in able]
    lengths = [
        int(examples[i].rules[2] if fitted.by_rules[i] else examples[i].chars[judged[i]])
        for i in able
        if answered[i]
    ]
    given = np.zeros(len(examples), dtype=bool)
    given[[i for i in idx if answered[i]]] = True
    n = len(able) or 1
    return {
        "answerable": len(able),
        "retrieval_hit@1": round(float(np.mean(first_doc)) if able else 0.0, 4),
        "rules_containment": round(sum(bool(examples[i].rules[1]) for i in able) / n, 4),
        # the ranker's own best sentence (its quote), had it chosen instead of the rules
        "ranker_containment": round(sum(bool(examples[i].right[fitted.best[i]]) for i in able) / n, 4),
        "rules_false_refusals": round(sum(not fitted.by_rules[i] for i in able) / n, 4),
        "doc_hit@1": round(sum(chosen_doc) / n, 4),
        "containment": round(sum(bool(answered[i] and fitted.right[i]) for i in able) / n, 4),
        "median_answer_chars": float(np.median(lengths)) if lengths else 0.0,
        "false_refusals": round(sum(not answered[i] for i in able) / n, 4),
        "unanswerable": len(unable),
        "rules_unanswerable_refused": round(
            sum(not fitted.by_rules[i] for i in unable) / (len(unable) or 1), 4
        ),
        "unanswerable_refused": round(sum(not answered[i] for i in unable) / (len(unable) or 1), 4),
        "answered_right_mix": _mix_right(fitted, given),
    }


def reliability(confidence: np.ndarray, right: np.ndarray) -> list[dict[str, Any]]:
    rows = []
    for lo, hi in itertools.pairwise(BINS):
        inside = (confidence >= lo) & (confidence < hi)
        if inside.any():
            rows.append(
                {
                    "confidence": f"{lo:.1f}-{min(hi, 1.0):.1f}",
                    "answers": int(inside.sum()),
                    "mean_confidence": round(float(confidence[inside].mean()), 3),
                    "right": round(float(right[inside].mean()), 3),
                }
            )
    high = confidence >= 0.8
    rows.append(
        {
            "confidence": ">=0.8",
            "answers": int(high.sum()),
            "mean_confidence": round(float(confidence[high].mean()), 3) if high.any() else 0.0,
            "right": round(float(right[high].mean()), 3) if high.any() else 0.0,
        }
    )
    return rows


def table(report: dict[str, Any]) -> str:
    """The figures as text for the terminal (and for docs/evaluation.md)."""
    keys = [k for k in report if isinstance(report[k], dict) and "answerable" in report[k]]
    cols = list(report[keys[0]]) if keys else []
    lines = ["| source | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    lines += ["| " + k + " | " + " | ".join(str(report[k][c]) for c in cols) + " |" for k in keys]
    lines += [
        "",
        f"threshold {report['threshold']}, rescue {report.get('rescue')}"
        + (f", domain floor {report['domain_floor']}" if "domain_floor" in report else ""),
        "",
        "| confidence | answers | mean confidence | right |",
    ]
    lines.append("|---|---|---|---|")
    lines += [
        f"| {r['confidence']} | {r['answers']} | {r['mean_confidence']} | {r['right']} |"
        for r in report["reliability"]
    ]
    lines += [
        "",
        "| threshold | containment | false refusals | unanswerable refused | answered right | answered right (mix) |",
    ]
    lines.append("|---|---|---|---|---|---|")
    lines += ["| " + " | ".join(str(v) for v in r.values()) + " |" for r in report.get("thresholds", [])]
    return "\n".join(lines)
