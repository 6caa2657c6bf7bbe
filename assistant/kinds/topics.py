"""The stretch of an article a summary of a topic quotes, chosen by what labels it.

An article is cut into units, each with a label that says what it is about: the article (its
title), a section (its heading line; a run of heading lines heads what follows it up to the next
run), a paragraph (its opening: a run-in heading, a short first sentence, or a short first clause
such as 加强区域协同保护, / In terms of X,) and an introduced stretch (a paragraph ending with a
colon, 王聚在致辞中介绍:, with the paragraphs after it). A unit is scored by the rarity-weighted
share of the question's topic that its article's title and its label hold together, plus a little
for its best body sentence: a question naming an article (宣传周主题日) and a topic in it (王聚强调)
is matched by the title and the label together, and a unit whose label adds nothing to its
title's share does not beat the whole article."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answerers.extractive.candidates import Candidate
from assistant.kinds.kit import Kit
from assistant.kinds.parts import Sentence, document_sentences, is_heading, reachable, terms, weighted_overlap
from assistant.kinds.sections import run_in
from assistant.kinds.sides import context_words
from index.normalize import to_simplified

OPENING = 40  # characters' worth: a first sentence this short says what its paragraph is about
BODY_WEIGHT = 0.2  # what the unit's best body sentence adds to its label's share
PRECISION_WEIGHT = 0.2  # what the share of the label that the question holds adds
REACHABLE = 0.3  # the least share of the question's weight a unit in another language can match
STRONG = 0.6  # the least score of a unit that stands for the question's topic
CLOSE = 0.15  # a section this close to the best unit of its article is taken instead
LATIN_PER_CHAR = 3  # Latin letters (with spaces) that say about what one Chinese character does
_FIRST_CLAUSE = re.compile(r"^\s*([^,，。；;:：]{2,20})[,，]")
_INTRODUCES = (":", "：")
_REPORT_YEAR = re.compile(
    r"((?:19|20)\d\d)年?[\u4e00-\u9fff]{0,6}?(?:报道|报告|一文|文章)"
    r"|\b((?:19|20)\d\d)\s+(?:[a-z-]+\s+)?(?:report|article)\b",
    re.I,
)
# The order of units that score the same: the article, then a section, then a paragraph.
_RANK = {"article": 3, "section": 2, "introduced": 2, "paragraph": 1}


@dataclass(frozen=True)
class Unit:
    kind: str  # article, section, introduced or paragraph
    label: str
    body: list[Sentence]
    score: float = 0.0


def units(doc: Sequence[Sentence], title: str) -> list[Unit]:
    """Every unit of a document (its sentences in order) with its label."""
    out = [Unit("article", title, [s for s in doc if not is_heading(s)])]
    for k, s in enumerate(doc):
        if _section_heading(s) and k > 0:
            out.append(Unit("section", s.text, _headed(doc, k)))
        elif not is_heading(s) and (k == 0 or doc[k - 1].para != s.para):
            para = [t for t in doc if t.para == s.para and not is_heading(t)]
            if para[-1].text.rstrip().endswith(_INTRODUCES):
                out.append(Unit("introduced", "".join(t.text for t in para), _introduced(doc, k, s.para)))
            else:
                out.append(Unit("paragraph", opening(s), para))
    return [u for u in out if u.body]


def opening(first: Sentence) -> str:
    """What a paragraph's first sentence says it is about: its run-in heading, the sentence where
    short, else its first clause where short; empty where none."""
    found = run_in(first)
    if found:
        return found
    text = first.text.strip()
    if reading_length(text) <= OPENING:
        return text
    clause = _FIRST_CLAUSE.match(text)
    return clause.group(1) if clause else ""


def scored(
    doc: Sequence[Sentence], title: str, question: str, wanted: frozenset[str], idf: Callable[[str], float]
) -> list[Unit]:
    """The document's units with their scores (see the module's docstring), best first."""
    out = []
    total = math.fsum(idf(t) for t in wanted)
    for unit in units(doc, title):
        # Across languages only concepts match: a unit is scored only where they carry enough of
        # the question (a Chinese question's few concepts would match an English paragraph fully).
        crossing = reachable(wanted, unit.body[0].text)
        if total and math.fsum(idf(t) for t in crossing) < REACHABLE * total:
            continue
        label = title if unit.kind == "article" else f"{title} {unit.label}"
        share = weighted_overlap(wanted, label, idf)
        body = max(weighted_overlap(wanted, s.text, idf) for s in unit.body)
        # Of two labels holding as much of the question, the one that says little else.
        precise = weighted_overlap(terms(unit.label), question, idf)
        score = share + BODY_WEIGHT * body + PRECISION_WEIGHT * precise
        out.append(Unit(unit.kind, unit.label, unit.body, round(score, 6)))
    return sorted(out, key=lambda u: (u.score, _RANK[u.kind]), reverse=True)


def _section_heading(s: Sentence) -> bool:
    return is_heading(s) and sum(ch.isalpha() for ch in s.text) >= 2


def _headed(doc: Sequence[Sentence], k: int) -> list[Sentence]:
    """The body lines a heading heads: up to the next heading; where another heading follows at
    once (a run of heading lines), up to the next run of two or more."""
    run = k + 1 < len(doc) and _section_heading(doc[k + 1])
    out: list[Sentence] = []
    for j in range(k + 1, len(doc)):
        s = doc[j]
        if _section_heading(s):
            starts_run = j + 1 < len(doc) and _section_heading(doc[j + 1])
            if out and (not run or starts_run):
                break
            continue
        if not is_heading(s):
            out.append(s)
    return out


def _introduced(doc: Sequence[Sentence], k: int, para: int) -> list[Sentence]:
    """The paragraphs after an introducing one, up to a heading or the next introducing one."""
    out: list[Sentence] = []
    for s in doc[k + 1 :]:
        if s.para == para:
            continue
        if _section_heading(s) or s.text.rstrip().endswith(_INTRODUCES):
            break
        if not is_heading(s):
            out.append(s)
    return out


def reading_length(text: str) -> float:
    """A text's length in Chinese characters' worth: an English word of about three letters and a
    space says what one character does, so English text counts a third."""
    latin = sum(1 for ch in text if ch.isascii())
    return len(text) - latin + latin / LATIN_PER_CHAR


def topic(
    kit: Kit, valid: Sequence[Candidate], wanted: frozenset[str]
) -> tuple[Candidate, list[Sentence], list[Sentence]] | None:
    """The unit of a retrieved article that a label marks as the question's topic, where one
    scores at least STRONG and above its whole article: the article's best candidate, its
    sentences and the unit's; None where no label marks one (the article, or a topic spread
    over several, is left to the summary's other scopes). An article of the year the question
    names as its report's (the 2025 article, 2022年示范城市报道) is looked in alone where retrieved;
    one in the question's language first where it has such a unit."""
    core = wanted - terms(" ".join(context_words(kit.searched))) or wanted
    firsts = list({c.doc_id: c for c in reversed(valid)}.values())[::-1]
    year = _report_year(kit.searched)
    dated = [c for c in firsts if year and c.meta.get("published", "")[:4] == year]
    found = []
    for cand in dated or firsts:
        doc = document_sentences(cand.hit, kit.keyword)
        ranked = scored(doc, str(cand.meta.get("title", "")), kit.searched, core, kit.keyword.idf)
        if not ranked or ranked[0].kind == "article" or ranked[0].score < STRONG:
            continue
        # A section whose own score is close to a paragraph's within it holds that paragraph's
        # topic and the rest of what its heading says: the section.
        near = [u for u in ranked if u.kind == "section" and u.score >= ranked[0].score - CLOSE]
        found.append(
            ((str(cand.meta.get("language")) == "en") == kit.english, (near or ranked)[0], cand, doc)
        )
    if not found:
        return None
    _, unit, cand, doc = max(found, key=lambda f: (f[0], f[1].score))
    return cand, doc, unit.body


def _report_year(question: str) -> str | None:
    """The year the question names as its report's: 2025年报道, the 2022 English report."""
    found = _REPORT_YEAR.search(to_simplified(question))
    return next((g for g in found.groups() if g), None) if found else None
