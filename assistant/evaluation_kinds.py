"""Scoring answers of more than one sentence (issue 12), one figure set per question kind.

A question of `tests/kinds.jsonl` lists `expect_all`: items that must all be in the answer, each a
list of alternative strings matched as single facts are (`evaluation.fact_form`: Traditional to
Simplified, no white space or commas, lower case). Per answer this module measures:

- present: which items the answer text holds (all of them, and the share);
- cited: which items a citation's quoted passage holds (or its English figure readings, or its
  document's title: a place the question resolves, 侯向宇 → 长沙, is named there), or the answer
  marks as computed (a line or sentence of the answer, or a note, that says 计算/computed);
- refused: unanswerable questions must be refused, answerable ones must not;
- polarity: a yes/no answer starts with 是/否 (yes/no) as expected.

A question is right when it is unanswerable and refused, or answerable, answered, every item
present and cited and, for yes/no, the polarity right. Scoring is pure: answers come in, figures
come out; nothing here searches or answers.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.evaluation import fact_form as normalise
from assistant.models import Answer, Citation
from index.normalize import to_simplified

KINDS = ("comparison", "change", "list", "summary", "yesno", "bridge", "aggregate")

# Where an answer's text is cut into the pieces a computed mark covers: lines and sentences.
_PIECES = re.compile(r"\n|[。；;！？!?]|\.(?=\s)")
_COMPUTED_MARKS = ("计算", "computed", "calculated")
_NO_STARTS = ("否", "不", "没有", "no")
_YES_STARTS = ("是", "对", "yes")
_LEADING = re.compile(r"^[\s*#>\-–—•·:：\"'“”‘’「」『』【】\[\]()（）]+")


def polarity(text: str) -> str | None:
    """'yes' or 'no' where the answer text starts with it (是/否, Yes/No), else None."""
    head = _LEADING.sub("", to_simplified(text)).lower()
    if head.startswith(_NO_STARTS):
        return "no"
    if head.startswith(_YES_STARTS):
        return "yes"
    return None


def computed_pieces(answer: Answer) -> list[str]:
    """The normalised lines/sentences of the answer, and notes, that say they were computed."""
    pieces = [p for p in _PIECES.split(answer.answer) if p.strip()] + list(answer.notes)
    marked = (normalise(p) for p in pieces)
    return [p for p in marked if any(m in p for m in _COMPUTED_MARKS)]


def _cited_text(citation: Citation) -> str:
    """What a citation shows: its quote, its English figure readings and its document's title."""
    return "\n".join(normalise(t) for t in (citation.quote, *citation.figures, citation.title))


def _holds(alternatives: Sequence[str], texts: Iterable[str]) -> bool:
    wanted = [normalise(a) for a in alternatives if a.strip()]
    return any(a in t for t in texts for a in wanted)


@dataclass(frozen=True)
class KindScore:
    """How one answer fared against one question of the kinds set."""

    id: str
    kind: str
    answerable: bool
    refused: bool
    items: int
    present: int
    cited: int
    polarity_ok: bool | None
    chars: int

    @property
    def right(self) -> bool:
        if not self.answerable:
            return self.refused
        return (
            not self.refused
            and self.present == self.items
            and self.cited == self.items
            and self.polarity_ok is not False
        )


def score_answer(item: dict[str, Any], answer: Answer) -> KindScore:
    """Scores `answer` against one question record of the kinds set."""
    answerable = bool(item["answerable"])
    refused = not answer.answerable
    expected: list[list[str]] = (item.get("expect_all") or []) if answerable else []
    text = [normalise(answer.answer)] if not refused else []
    cited = [] if refused else [_cited_text(c) for c in answer.citations]
    sources = cited + ([] if refused else computed_pieces(answer))
    wanted_polarity = item.get("expect_polarity") if answerable else None
    return KindScore(
        id=str(item["id"]),
        kind=str(item["kind"]),
        answerable=answerable,
        refused=refused,
        items=len(expected),
        present=sum(_holds(alts, text) for alts in expected),
        cited=sum(_holds(alts, sources) for alts in expected),
        polarity_ok=None if not wanted_polarity else polarity(answer.answer) == wanted_polarity,
        chars=len(answer.answer),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def summarise(scores: Sequence[KindScore]) -> dict[str, dict[str, Any]]:
    """Per-kind figures (and 'all'): right, items present/cited, refusals, polarity, length."""
    groups = {k: [s for s in scores if s.kind == k] for k in KINDS}
    groups = {k: g for k, g in groups.items() if g}
    groups["all"] = list(scores)
    return {kind: _figures(group) for kind, group in groups.items()}


def _figures(group: Sequence[KindScore]) -> dict[str, Any]:
    asked = [s for s in group if s.answerable]
    unanswerable = [s for s in group if not s.answerable]
    judged = [s for s in asked if s.polarity_ok is not None]
    answered = [s.chars for s in asked if not s.refused]
    return {
        "questions": len(group),
        "right": _share(sum(s.right for s in group), len(group)),
        "answerable_right": _share(sum(s.right for s in asked), len(asked)),
        "item_share": _share(sum(s.present for s in asked), sum(s.items for s in asked)),
        "all_present": _share(sum(s.present == s.items for s in asked), len(asked)),
        "all_cited": _share(sum(s.cited == s.items for s in asked), len(asked)),
        "refused": f"{sum(s.refused for s in unanswerable)} / {len(unanswerable)}",
        "false_refusals": sum(s.refused for s in asked),
        "polarity": f"{sum(bool(s.polarity_ok) for s in judged)} / {len(judged)}" if judged else "",
        "median_chars": statistics.median(answered) if answered else None,
    }


_COLUMNS = (
    ("kind", "kind"),
    ("questions", "questions"),
    ("right", "right"),
    ("answerable_right", "answerable right"),
    ("item_share", "items present"),
    ("all_present", "all present"),
    ("all_cited", "all cited"),
    ("refused", "unanswerable refused"),
    ("false_refusals", "false refusals"),
    ("polarity", "yes/no polarity"),
    ("median_chars", "median chars"),
)


def format_table(summary: dict[str, dict[str, Any]]) -> str:
    """The per-kind figures as a Markdown table."""
    head = "| " + " | ".join(title for _, title in _COLUMNS) + " |"
    rule = "|" + "---|" * len(_COLUMNS)
    rows = [
        "| " + " | ".join(kind if key == "kind" else _cell(fig[key]) for key, _ in _COLUMNS) + " |"
        for kind, fig in summary.items()
    ]
    return "\n".join([head, rule, *rows])


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}" if value <= 1 else f"{value:g}"
    return str(value)


def score_run(items: Sequence[dict[str, Any]], answers: Sequence[Answer]) -> dict[str, Any]:
    """The figures of a run: per kind (and all), and the ids of the questions not right."""
    scores = [score_answer(item, ans) for item, ans in zip(items, answers, strict=True)]
    return {"kinds": summarise(scores), "failures": [s.id for s in scores if not s.right]}


if __name__ == "__main__":  # python -m assistant.evaluation_kinds tests/kinds.jsonl [--out FILE]
    from assistant.cli import main

    sys.exit(main(["eval", "--kinds", *sys.argv[1:]]))
