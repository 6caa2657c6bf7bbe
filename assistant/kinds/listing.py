"""Lists ("which measures"): the lines under the heading that matches the question, or else the
paragraphs of the best distinct sentences (MMR), each cited. A list is composed only where the
evidence holds one: a matching section, or distinct sentences beyond the single-fact answer that
each answer; otherwise the single-fact answer stands."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answerers.extractive.candidates import Candidate
from assistant.kinds import table
from assistant.kinds.kit import Kit
from assistant.kinds.parts import Sentence, document_sentences, is_heading, mmr, of_candidate, terms
from assistant.kinds.sections import heading_above, locate, paragraph, under
from assistant.kinds.summary import topic_section
from assistant.models import Answer
from index.normalize import to_simplified

MOST = 8
PARAGRAPHS = 3  # paragraphs quoted at most where no heading matches
CLOSE = 0.15  # how far below the best a sentence may score and still lead a paragraph
SHORT_PARAGRAPH = 5  # sentences: a longer paragraph is prose, not a list; its leader is quoted alone

# The things whose members a Chinese list question asks for: 哪些企业被培育为…, 哪几家单位,
# 5家骨干运营中心分别是哪些 (the last two characters: 企业, 单位, 中心).
_ASKED_AFTER = re.compile(
    r"哪(?:些|几[个家所项类种位])([\u4e00-\u9fff]{2,12}?)(?=[被获是在有入参将要可能的]|[?？,，。]|$)"
)
_ASKED_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:分别)?是哪(?:些|几[个家所项类种位])")
# What names members in a clause: an enumeration (A、B), 等 after named ones, a quoted or titled name.
_NAMING = re.compile(r"[、等《“「]")
# A count of things (86家, 5家, 首家, 2所, 多项): what a clause that only counts them holds.
_COUNTED = re.compile(r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千两首数多])\s*[余多]?\s*[家个所项名位座]")
_CLAUSE_END = re.compile(r"[,，;；。!！?？]")  # not a colon: the members follow it (4个非都市区：A、B)


def compose(kit: Kit) -> Answer | None:
    rows = table.listed(kit)
    if rows is not None:
        return rows
    base = kit.answered(kit.searched)
    valid = kit.valid(10)
    asked = asked_members(kit.searched)
    if base is None and asked:
        # No single sentence answers "which": a sentence that covers the question and names the
        # things asked (与工信、科技、商务等部门联动) is the list's evidence.
        naming = [c for c in valid if c.coverage >= kit.min_support and _names(of_candidate(c), asked)]
        base = [of_candidate(naming[0])] if naming else None
    if base is None or not valid:
        return kit.refuse()
    if asked and not names_members(base, asked):
        return kit.refuse()  # a count of the things asked (86家) does not say which they are
    best = kit.best_in_language(valid)
    doc = document_sentences(best.hit, kit.keyword)
    chosen = _section(doc, base[0], of_candidate(best), terms(kit.searched))
    if not chosen and _foreign(kit, base):
        # The single fact is in another language than the question: a section whose heading holds
        # the question, in the question's language where one does, answers instead.
        headed = _headed(kit, valid)
        if headed and not _foreign(kit, headed):
            chosen, base = headed, []
    if not chosen:
        close = [
            of_candidate(c) for c in valid if c.score >= best.score - CLOSE and c.coverage >= kit.min_support
        ]
        scores = {(s.doc_id, s.start): s.score for s in close}
        leaders = mmr(close, lambda s: scores[(s.doc_id, s.start)] + 1.0, PARAGRAPHS)
        chosen = []
        for lead in leaders:
            more = paragraph(doc, lead) if lead.doc_id == best.doc_id else [lead]
            more = more if len(more) <= SHORT_PARAGRAPH else [lead]
            chosen += [s for s in more if s not in chosen]
        if not [s for s in chosen if not _within(s, base)]:
            return None  # nothing beyond the single-fact answer: one fact, not a list
    # The single-fact answer leads: where no heading matches, a paragraph taken whole may not
    # reach it within MOST lines.
    first = base
    if not first and not chosen:
        return kit.refuse()
    rest = [s for s in chosen if not _within(s, first)]
    ordered = sorted(rest, key=lambda s: (s.doc_id != best.doc_id, s.doc_id, s.start))[: MOST - len(first)]
    if asked and not names_members(first + ordered, asked):
        return kit.refuse()
    return kit.render([], first + ordered)


def asked_members(question: str) -> str | None:
    """The head noun (two characters) of the things a Chinese list question asks to be named."""
    form = to_simplified(question)
    found = _ASKED_AFTER.search(form) or _ASKED_BEFORE.search(form)
    return found.group(1)[-2:] if found else None


def _names(sentence: Sentence, head: str) -> bool:
    """Whether a clause of the sentence holding `head` names some of them."""
    return any(head in c and _NAMING.search(c) for c in _CLAUSE_END.split(to_simplified(sentence.text)))


def names_members(sentences: Sequence[Sentence], head: str) -> bool:
    """Whether the sentences may name members of `head` (企业): False only where every clause
    holding the head counts them (国家知识产权示范优势企业86家, 获批省运营中心2家) and none names
    any (A、B等, 《…》, “…”). A clause that does not count them may name them in any way
    (由奥斯曼帝国与英国签订), and sentences without the head leave nothing to judge by."""
    holding = [
        clause
        for s in sentences
        if not is_heading(s)  # a heading (大连定下这些目标) announces the members below it
        for clause in _CLAUSE_END.split(to_simplified(s.text))
        if head in clause
    ]
    return not holding or any(_NAMING.search(c) or not _COUNTED.search(c) for c in holding)


def _headed(kit: Kit, valid: list[Candidate]) -> list[Sentence]:
    """The lines under the heading, in any article retrieved, that holds most of what the question
    asks beside its place and period (在知识产权金融服务方面 for 大连有哪些知识产权金融服务方面的举措),
    in the question's language where one holds it: a summary's topic section."""
    found = topic_section(kit, valid, terms(kit.searched))
    return found[2] if found else []


def _foreign(kit: Kit, sentences: list[Sentence]) -> bool:
    """Whether the sentences are all of an article in another language than the question's."""
    return bool(sentences) and all((str(s.meta.get("language")) == "en") != kit.english for s in sentences)


def _within(sentence: Sentence, quoted: list[Sentence]) -> bool:
    """Whether `sentence` overlaps one of `quoted` (a citation may quote part of a sentence)."""
    return any(
        q.doc_id == sentence.doc_id and q.start < sentence.end and sentence.start < q.end for q in quoted
    )


def _section(doc: list[Sentence], quoted: Sentence, best: Sentence, wanted: frozenset[str]) -> list[Sentence]:
    """The lines under the heading the answerer quoted, or under one that holds the question."""
    at = locate(doc, quoted)
    if at is not None and is_heading(doc[at]):
        lines = under(doc, at)
        if lines:
            return lines
    for sentence in (quoted, best):
        head = heading_above(doc, sentence, wanted)
        if head is not None and under(doc, head):
            return under(doc, head)
    return []
