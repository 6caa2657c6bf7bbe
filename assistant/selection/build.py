"""Building the training examples of each source once, and keeping them in a cache folder."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.selection import store
from assistant.selection.dataset import (
    Asked,
    Example,
    bundled_assistant,
    domain_questions,
    example,
    squad_assistant,
    squad_questions,
)
from assistant.selection.report import figures
from assistant.selection.rewording import REWORDING_VERSION
from assistant.selection.swapping import SWAPPING_VERSION
from assistant.selection.training import Fitted, fit
from assistant.settings import AnswerSettings, Settings

logger = logging.getLogger(__name__)


def _asked_all(assistant, asked: Sequence[Asked], name: str) -> list[Example]:  # type: ignore[no-untyped-def]
    top_k = Settings().retrieval.top_k
    out, started = [], time.monotonic()
    for i, a in enumerate(asked, 1):
        e = example(assistant, a, top_k)
        if e is not None:
            out.append(e)
        if i % 500 == 0 or i == len(asked):
            print(f"  {name}: {i}/{len(asked)} asked ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return out


def squad_examples(path: Path, prefix: str, cache: Path, rebuild: bool = False) -> list[Example]:
    """Examples of a SQuAD-style file (CMRC 2018, DRCD), built once per file content."""
    cached = cache / f"examples-{path.stem}-{store.signature(path.read_bytes())}.npz"
    if cached.is_file() and not rebuild:
        return store.load(cached)
    _, asked = squad_questions(path, prefix)
    out = _asked_all(squad_assistant(path, cache), asked, path.name)
    store.save(cached, out)
    return out


def domain_examples(
    files: Sequence[Path], articles: Path, cache: Path, rebuild: bool = False
) -> list[Example]:
    """Examples of the bundled question sets over the bundled articles."""
    parts = (
        [f.read_bytes() for f in files]
        + [p.read_bytes() for p in sorted(articles.iterdir()) if p.is_file()]
        + [f"rewording {REWORDING_VERSION} swapping {SWAPPING_VERSION}".encode()]
    )
    cached = cache / f"examples-domain-{store.signature(*parts)}.npz"
    if cached.is_file() and not rebuild:
        return store.load(cached)
    out = _asked_all(bundled_assistant(articles, cache), domain_questions(files, articles), "bundled sets")
    store.save(cached, out)
    return out


@dataclass
class Retrained:
    fitted: Fitted
    figures: dict[str, Any]
    examples: int
    seconds: float


def retrain(
    cmrc: Path | None,
    drcd: Path | None,
    cache: Path,
    out: Path,
    domain: Sequence[Path] = (),
    articles: Path | None = None,
    seed: int = 0,
    rebuild: bool = False,
) -> Retrained:
    """Build (or reuse) the examples of every source given, fit the selector, save it to `out`."""
    started = time.monotonic()
    examples: list[Example] = []
    for path, prefix in ((cmrc, "cmrc"), (drcd, "drcd")):
        if path is not None:
            examples += squad_examples(path, prefix, cache, rebuild)
    if domain and articles is not None:
        examples += domain_examples(domain, articles, cache, rebuild)
    if not examples:
        raise ValueError("no training examples: give --cmrc, --drcd or question sets with their articles")
    fitted = fit(examples, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    fitted.selector.meta["validation"] = report = figures(examples, fitted)
    # The highest threshold withholding no right answer to the domain sets (answer.min_confidence).
    report["domain_floor"] = round(float(fitted.selector.meta["domain_floor"]), 4)
    # And at the refusal threshold answering uses by default (answer.min_confidence).
    default = AnswerSettings().min_confidence
    report["default"] = figures(examples, fitted, default)
    fitted.selector.save(out)
    np.savez_compressed(  # the out-of-fold predictions, for other thresholds and mixes
        cache / "out-of-fold.npz",
        confidence=fitted.confidence,
        right=fitted.right,
        by_rules=fitted.by_rules,
        weights=fitted.weights,
        answerable=np.asarray([bool(e.asked.docs) for e in examples]),
        source=np.asarray([e.asked.group.split(":")[0] for e in examples]),
        variant=np.asarray([e.asked.variant for e in examples]),
        rules_right=np.asarray([bool(e.rules[1]) for e in examples]),
    )
    return Retrained(fitted, report, len(examples), time.monotonic() - started)
