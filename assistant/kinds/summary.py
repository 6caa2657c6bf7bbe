"""Summaries of an article or a topic: a query-focused extractive summary of 3–6 sentences, quoted
in the order of the source, each cited.

The scope is the whole article where the question names it (its title), else the section under the
heading that holds the question (a heading run such as 大连为什么能入选 / 看看这份成绩单 takes the
sub-sections under it), else the paragraph that holds it. The scope is cut into parts (sections
under headings, else paragraphs); the most relevant sentence of each part (relevance: retrieval,
the question's terms, a figure, brevity, the article's lead) is a candidate, and up to six are
chosen with redundancy removed (MMR); a scope of fewer parts gives more than one sentence each."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.answerers.extractive.candidates import Candidate
from assistant.kinds.kit import Kit
from assistant.kinds.parts import (
    YEAR,
    Sentence,
    countable,
    document_sentences,
    is_heading,
    mmr,
    of_candidate,
    overlap,
    render,
    terms,
)
from assistant.kinds.sections import HEADING_SHARE, heading_above, paragraph, topic_heading, under
from assistant.kinds.sides import context_words
from assistant.kinds.topics import reading_length as _length
from assistant.kinds.topics import topic
from assistant.models import Answer
from index.figures import find_figures
from index.normalize import to_simplified

MOST = 6
FEWEST = 3
SHORT = 120  # characters: a longer sentence is worth less in a summary of limited length
BODY = 12  # characters: a shorter line is a caption or a fragment, not a sentence to quote
NEAR_SHARE = 0.3  # a sentence beyond a short topic's that shares this much of the question completes it
TOPIC_SHARE = 0.6  # a sentence holding this much of the question makes its paragraph the topic
SUPPORT = 0.6  # of min_support: the least coverage of the best sentence for a summary at all
LEAD = 0.15  # the article's first sentence states what it is about
YEAR_ASKED = 0.2  # a sentence naming the year the question asks about
HEADED = 0.3  # a sentence saying what its section's heading says stands for the section
_CONTINUES = re.compile(r"\s*(?:其中|同时|与此同时|meanwhile|among them)", re.I)
_ASKING = (
    "总结一下",
    "总结",
    "概括",
    "概述",
    "归纳",
    "主要内容",
    "一文",
    "summarize",
    "summarise",
    "give a summary of",
    "summary",
    "the article about",
)


def compose(kit: Kit) -> Answer | None:
    wanted = _wanted(kit.searched)
    valid = [c for c in kit.valid(10) if c.coverage >= kit.min_support * SUPPORT]
    # A label that names the topic answers though no one sentence covers enough of the question.
    labelled = topic(kit, kit.valid(10), wanted)
    if not valid and labelled is None:
        return kit.refuse()
    best = labelled[0] if labelled else kit.best_in_language(valid)
    doc = document_sentences(best.hit, kit.keyword)
    if not doc:
        return None
    whole = labelled is None and overlap(wanted, str(best.meta.get("title", ""))) >= TOPIC_SHARE
    section = labelled or (None if whole else topic_section(kit, valid, wanted))
    if section is not None:
        best, doc, scope = section
    else:
        scope = doc if whole else _topic(doc, of_candidate(best), wanted)
    top = max(c.score for c in kit.ranked if c.doc_id == best.doc_id)
    held = {c.start: c.score / top for c in kit.ranked if c.doc_id == best.doc_id and top > 0}
    lead = next((s for s in doc if _body(s)), None)

    years = set(YEAR.findall(to_simplified(kit.searched)))
    heads = _headings(doc)

    def relevance(s: Sentence) -> float:
        retrieved = max((v for start, v in held.items() if s.start <= start < s.end), default=0.0)
        figures = any(countable(f) for f in find_figures(s.text))
        named = bool(years & set(YEAR.findall(s.text)))
        return (
            retrieved
            + 0.5 * overlap(wanted, s.text)
            + 0.2 * figures
            + YEAR_ASKED * named
            + HEADED * overlap(heads.get(s, frozenset()), s.text)
            + (LEAD if whole and s == lead else 0.0)
        )

    if scope and all(is_heading(s) for s in scope):
        chosen = scope[:MOST]
    else:
        chosen = summarise(parts(scope or doc), relevance, MOST)
    if not chosen:
        return None
    if len(chosen) < FEWEST:  # a short topic: the article's sentences that share most of it complete it
        near = [s for s in doc if _body(s) and s not in chosen and overlap(wanted, s.text) >= NEAR_SHARE]
        chosen += mmr(near, relevance, FEWEST - len(chosen))
    ordered = sorted(chosen, key=lambda s: s.start)
    text = "".join(s.text for s in ordered)
    # The limit is of reading length: English quotes take about three letters for a character.
    scale = len(text) / max(1.0, _length(text))
    return render(kit.question, kit.searched, kit.language, [], ordered, limit=int(kit.long_limit * scale))


def _headings(doc: Sequence[Sentence]) -> dict[Sentence, frozenset[str]]:
    """Each body sentence's nearest heading above it (its terms): what its section is about."""
    out: dict[Sentence, frozenset[str]] = {}
    head: frozenset[str] = frozenset()
    for s in doc:
        if is_heading(s):
            head = terms(s.text)
        else:
            out[s] = head
    return out


def _wanted(question: str) -> frozenset[str]:
    form = to_simplified(question).lower()
    for word in _ASKING:
        form = form.replace(word, " ")
    return terms(form)


def _body(s: Sentence) -> bool:
    """A sentence to quote: not a heading, a caption, or the article's headline."""
    text = s.text.strip()
    return not is_heading(s) and len(text) >= BODY and _plain(text) != _plain(str(s.meta.get("title", "")))


def _plain(text: str) -> str:
    return "".join(ch for ch in to_simplified(text).lower() if ch.isalnum())


def parts(scope: Sequence[Sentence]) -> list[list[Sentence]]:
    """The body sentences of `scope` in parts: one per heading where it has headings, else one per
    paragraph (line); the largest parts are halved (at a paragraph break where one is near) until
    there are MOST, so that a long stretch without headings is not summarised by one sentence."""
    groups: list[list[Sentence]] = []
    headed = any(_section_heading(s) for s in scope[1:])
    last_para = None
    for s in scope:
        if _section_heading(s):
            groups.append([])
            continue
        if not _body(s):
            continue
        if not groups or (not headed and s.para != last_para):
            groups.append([])
        groups[-1].append(s)
        last_para = s.para
    groups = [g for g in groups if g]
    while 0 < len(groups) < MOST:
        big = max(range(len(groups)), key=lambda k: len(groups[k]))
        if len(groups[big]) < 2:
            break
        cut = _halve(groups[big])
        groups[big : big + 1] = [groups[big][:cut], groups[big][cut:]]
    return groups


def _section_heading(s: Sentence) -> bool:
    """A heading line that names a section: words, not a date and time line (2022-08-05 18:29)."""
    return is_heading(s) and sum(ch.isalpha() for ch in s.text) >= 2


def _halve(group: list[Sentence]) -> int:
    """Where to cut a part in two: the paragraph break nearest its middle, else the middle."""
    middle = len(group) / 2
    breaks = [k for k in range(1, len(group)) if group[k].para != group[k - 1].para]
    return min(breaks, key=lambda k: abs(k - middle)) if breaks else len(group) // 2


def summarise(groups: list[list[Sentence]], relevance: Callable[[Sentence], float], k: int) -> list[Sentence]:
    """The best sentence of each part (brevity counts: the answer has a length limit), up to `k`
    of them with redundancy removed (MMR); then, up to FEWEST, the best of the rest."""

    def worth(s: Sentence) -> float:
        return relevance(s) * min(1.0, SHORT / max(1, _length(s.text)))

    firsts = [max(group, key=worth) for group in groups if group]
    chosen = mmr(firsts, worth, k)
    if len(chosen) < FEWEST:
        rest = [s for group in groups for s in group if s not in chosen]
        chosen += mmr(rest, worth, FEWEST - len(chosen))
    return chosen


def topic_section(
    kit: Kit, valid: Sequence[Candidate], wanted: frozenset[str]
) -> tuple[Candidate, list[Sentence], list[Sentence]] | None:
    """The section, in any article retrieved, whose heading (a heading line or a paragraph's run-in
    heading: In terms of X, / 在X方面) holds most of what the question asks beside its place and
    period: its article's best candidate, the article's sentences and the section's."""
    core = wanted - terms(" ".join(context_words(kit.searched))) or wanted
    found = []
    for cand in {c.doc_id: c for c in reversed(valid)}.values():
        doc = document_sentences(cand.hit, kit.keyword)
        heading = topic_heading(doc, core, kit.keyword.idf)
        if heading is not None:
            found.append((heading, cand, doc))
    if not found:
        return None
    # A section in the question's language where one holds the question (its answer is then in it).
    (_, k, inline), cand, doc = max(found, key=lambda f: (_same_language(kit, f[1]), f[0][0]))
    scope = _continued(doc, paragraph(doc, doc[k])) if inline else _under(doc, k)
    return (cand, doc, scope) if scope else None


def _same_language(kit: Kit, cand: Candidate) -> bool:
    return (str(cand.meta.get("language")) == "en") == kit.english


def _under(doc: list[Sentence], head: int) -> list[Sentence]:
    """The lines a heading heads: short figure lines, the rest of the article under a headline of
    several lines, else its section (at least two lines); empty where none of these."""
    lines = under(doc, head)
    if lines and all(is_heading(s) for s in lines):
        return lines  # short lines, each a figure (the targets under 计划到2025年)
    if _run(doc, head) >= 2:
        return list(doc[head + 1 :])  # a headline of several lines heads the rest of the article
    return lines if len(lines) >= 2 else []


def _topic(doc: list[Sentence], best: Sentence, wanted: frozenset[str]) -> list[Sentence]:
    """The section under the heading that holds the question, else the paragraph of the best
    sentence where it holds the question (not the article's opening, which speaks for all of it);
    empty where neither: the whole article is summarised."""
    head = heading_above(doc, best, wanted)
    if head is None:
        head = _heading(doc, wanted)
    if head is not None and (lines := _under(doc, head)):
        return lines
    lead = next((s.para for s in doc if not is_heading(s)), -1)
    if overlap(wanted, best.text) >= TOPIC_SHARE and not is_heading(best):
        found = _continued(doc, paragraph(doc, best))
        return found if found and found[0].para != lead else []
    return []


def _continued(doc: list[Sentence], found: list[Sentence]) -> list[Sentence]:
    """A paragraph with the paragraphs that continue it: one opening with 其中 (among them) or
    同时 (at the same time) elaborates the one before it, so a topic spans them together."""
    if not found:
        return found
    paras = sorted({s.para for s in doc})
    first = last = found[0].para
    opening = {s.para: s.text for s in reversed(doc)}  # each paragraph's first sentence
    while first in opening and _CONTINUES.match(to_simplified(opening[first])):
        earlier = [p for p in paras if p < first]
        if not earlier:
            break
        first = earlier[-1]
    while True:
        later = [p for p in paras if p > last]
        if not later or not _CONTINUES.match(to_simplified(opening.get(later[0], ""))):
            break
        last = later[0]
    return [s for s in doc if first <= s.para <= last and not is_heading(s)]


def _heading(doc: list[Sentence], wanted: frozenset[str]) -> int | None:
    """The heading of the article that holds most of the question, where it holds enough."""
    scored = [(overlap(wanted, s.text), k) for k, s in enumerate(doc) if is_heading(s)]
    scored = [(share, -k) for share, k in scored if share >= HEADING_SHARE]
    return -max(scored)[1] if scored else None


def _run(doc: Sequence[Sentence], k: int) -> int:
    """How many heading lines run together where heading `k` stands."""
    start, end = k, k
    while start > 0 and is_heading(doc[start - 1]):
        start -= 1
    while end < len(doc) and is_heading(doc[end]):
        end += 1
    return end - start
