"""What rules a sentence out or in beside its coverage: the places and years it is about, a
person named, a post held, a figure's qualifier, a plan rather than an achievement."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from assistant.answerers.extractive.terms import _kind
from assistant.question import YEAR, Question
from index.analysis import CONCEPT_PREFIX, search_form, search_tokens
from index.figures import Figure
from index.glossary import default_glossary

_RELATIVE_YEARS = {"去年": -1, "今年": 0, "上年": -1, "明年": 1, "last year": -1, "this year": 0}
# Characters before and after a figure where a key term says what it counts.
BESIDE_BEFORE, BESIDE_AFTER = 10, 30
HEADING_CHARS = 20  # a line this short without a full stop heads the lines below it
QUALIFIER_WINDOW = 14  # characters before a figure searched for a unit qualifier (per 10,000 people)
# Concepts that make a figure a target or a plan rather than something achieved.
_PLAN_TOKENS = frozenset({CONCEPT_PREFIX + "target", CONCEPT_PREFIX + "future", CONCEPT_PREFIX + "plan"})
_PERSON = re.compile(
    r"(?:局长|书记|主任|市长|部长|院长|厅长|处长|会长|董事长|总经理|主席|理事长|记者|负责人)"
    r"\s?(?!单位|等|和|与|及|的|在|为|是|对)[\u4e00-\u9fff]{2,3}"  # a byline may space the name off
    r"|[\u4e00-\u9fff]{2,3}(?:表示|介绍|指出|强调|说|在致辞|致辞)"
    r"|\b(?:Mr|Ms|Mrs|Dr)\.? [A-Z][a-z]+|\b[A-Z][a-z]+ [A-Z][a-z]+ (?:said|says|stated|noted)"
)


def _years(text: str, published: str, dated: bool = True) -> set[str]:
    """The years a text is about: those it names, those its relative words (去年) point to from
    the publication year, and (`dated`) the publication year itself."""
    years = set(YEAR.findall(text))
    if published[:4].isdigit():
        base = int(published[:4])
        if dated:
            years.add(str(base))
        form = search_form(text)
        for phrase, delta in _RELATIVE_YEARS.items():
            if phrase in form:
                years.add(str(base + delta))
    return years


def _covers(place: str, about: AbstractSet[str]) -> bool:
    glossary = default_glossary()
    return place in about or any(place in glossary.ancestors(p) for p in about)


def _elsewhere(place: str, doc_places: AbstractSet[str]) -> bool:
    """The article is about places that neither hold `place` nor lie within it."""
    glossary = default_glossary()
    return bool(doc_places) and not any(
        place in glossary.ancestors(d) or d in glossary.ancestors(place) for d in doc_places
    )


def _beside(form: str, figure: Figure, asked: set[str]) -> bool:
    """A key term of the question stands right before or after the figure."""
    around = (
        form[max(0, figure.start - BESIDE_BEFORE) : figure.start]
        + " "
        + form[figure.end : figure.end + BESIDE_AFTER]
    )
    return any(t in asked and _kind(t) != "frame" for t in search_tokens(around))


def _is_heading(text: str) -> bool:
    """A short line without a full stop: it heads the lines below it."""
    return len(text) <= HEADING_CHARS and not re.search(r"[。！？!?；;.]$", text)


def _qualified(form: str, figure: Figure, question: Question) -> bool:
    """The figure carries a unit qualifier (a glossary concept of kind unit, such as "per 10,000
    people") right before it that the question does not ask for."""
    head = form[max(0, figure.start - QUALIFIER_WINDOW) : figure.start]
    asked = {t for group in question.groups for t in group}
    return any(_kind(token) == "unit" and token not in asked for token in search_tokens(head))


def _has_person(text: str) -> bool:
    return _PERSON.search(text) is not None


def role_groups(question: Question) -> tuple[list[int], list[int]]:
    """For a question asking who holds a post (局长, director): the groups naming the post and the
    groups naming an organisation. Empty when the question asks no such thing."""
    if not question.wants_person:
        return [], []
    roles = [g for g, group in enumerate(question.groups) if any(_kind(t) == "role" for t in group)]
    if not roles:
        return [], []
    orgs = [g for g, group in enumerate(question.groups) if any(_kind(t) == "org" for t in group)]
    return roles, orgs


def _holds_post(question: Question, group_ids: list[int], tokens: frozenset[str], kind: str) -> bool:
    return all(any(t in tokens for t in question.groups[g] if _kind(t) == kind) for g in group_ids)
