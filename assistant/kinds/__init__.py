"""Answers of more than one sentence (issue 12): one composer per question kind, chosen by the
question's wording, each answering from retrieved and cited sentences only (no model)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.kinds import aggregate, bridge, change, comparison, listing, summary, table, yesno
from assistant.kinds.detect import KINDS, question_kind
from assistant.kinds.kit import Kit
from assistant.models import Answer

__all__ = ["KINDS", "Kit", "compose", "question_kind", "roster_rows"]

_COMPOSERS: dict[str, Callable[[Kit], Answer | None]] = {
    "comparison": comparison.compose,
    "change": change.compose,
    "list": listing.compose,
    "summary": summary.compose,
    "yesno": yesno.compose,
    "bridge": bridge.compose,
    "aggregate": aggregate.compose,
}


def compose(kind: str, kit: Kit) -> Answer | None:
    """The answer of `kind` for the kit's question; None leaves it to the single-fact answer."""
    return _COMPOSERS[kind](kit)


def roster_rows(kit: Kit) -> Answer | None:
    """A single-fact question about a listed table (广西入选名单的是哪个城市?): the rows of the values it
    names, where the retrieved articles hold such a table; else None."""
    return table.listed(kit)
