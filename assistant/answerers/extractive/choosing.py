"""Choosing the sentences of an answer from the ranked candidates: the best that covers enough
of the question, and the neighbours or other articles' figures that complete it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answerers.extractive.candidates import Candidate
from assistant.answerers.extractive.rules import _is_heading
from assistant.question import YEAR, Question
from assistant.question.answer_types import fits
from index.analysis import bigrams, concepts, search_form
from index.figure_measures import measure_after_zh
from index.figures import Figure, same_amount

_CONTINUATION = re.compile(
    r"^(?:也|并|且|还|同时|其中|此外|另外|这|该|此|其|并且|而且|but\b|and\b|it\b|this\b)", re.I
)
_LABEL_TRIM = re.compile(
    r"(?:为|达到|达|实现|增至|增长|突破|约|共计|共|总计|累计|是|超过|超|近|了|有|至|到)+$"
)
# A question with this many key terms may be answered below the coverage bar (`_paraphrased`).
PARAPHRASE_TERMS = 4
# An answer shorter than this (characters of quoted sentences) gets a neighbour of its best sentence.
SHORT_ANSWER = 100
# A sentence shorter than this (search form) is a fragment: it takes in the one it leans on or heads.
FRAGMENT_CHARS = 14
ADJOINING_GAP = 2  # most characters between two sentences quoted as one
# What a figure measures: the last LABEL_CHARS of the LABEL_WINDOW characters before it; two
# figures measure the same when their labels end alike in LABEL_MATCH characters.
LABEL_WINDOW, LABEL_CHARS, LABEL_MATCH = 10, 5, 3
CLOSE_TO_BEST = 0.1  # an eligible sentence scores (without its answer-type fit) this close to the best
# A sentence completing the best one (covering a key term it lacks): within COMPLETING_REACH
# characters of it, covering COMPLETING_SUPPORT of the bar and scoring at most COMPLETING_SCORE less.
COMPLETING_REACH = 300
COMPLETING_SUPPORT = 0.6
COMPLETING_SCORE = 0.3
SECOND_OWN_SHARE = 0.3  # a second sentence holds this share of what the best one holds itself
OTHER_FIGURE_SCORE = 0.15  # another article's figure for the same measure scores at most this less
# A paraphrased question's sentence (`_paraphrased`): PARAPHRASE_SUPPORT of the bar, holding
# PARAPHRASE_HELD of the question itself, its passage lacking terms of less than PARAPHRASE_ABSENT.
PARAPHRASE_SUPPORT, PARAPHRASE_HELD, PARAPHRASE_ABSENT = 0.7, 0.25, 0.3
CITATION_MARK_CHARS = 8  # room counted for a quote's " [n]" and separators
# Any number at all: a year, 1比3, 兩小時, 第二大 (looser than the figures parsed for checking).
_NUMBER = re.compile(r"[0-9０-９]|[一二两兩三四五六七八九十百千万萬亿億]")
_AMOUNT = r"[0-9０-９.,]*[0-9０-９一二两兩三四五六七八九十百千万萬亿億]"
# Units that count the same kind of thing: 多少个 is answered by 13家 or 20项, 多少名 by 306人.
_UNIT_CLASSES = tuple(
    frozenset(units.split("|"))
    for units in (
        "个|件|家|项|所|名|位|人|座|条|篇|种|批|户|场|届|台|套|次|笔|只|支|本|部|间|张",
        "元|亿元|万元|美元",
        "天|年|个月|月|日|周",
        "倍",
        "公里|千米|km|米|m",
        "平方米|平方公里|亩|公顷",
    )
)
_COUNTED_AMOUNT = re.compile(
    _AMOUNT + r"\s*(?:余|多)?(" + "|".join(sorted(set().union(*_UNIT_CLASSES), key=len, reverse=True)) + ")?"
)
# Where a clause ends: what a counted figure names lies before it (、 joins a list inside one).
_CLAUSE_END = re.compile(r"[,，。;；:：!！?？]")
# Words holding a numeral character that count nothing (一站式 one-stop, 进一步 further).
_NOT_NUMBERS = re.compile(
    r"一站式|一体化|一揽子|一系列|进一步|统一|唯一|同一|一批|一些|一般|一起|一直|一切|一致|一同|万一|一流|之一"
)


def _extend_fragment(cand: Candidate) -> tuple[int, int, str]:
    """A sentence that leans on the one before gets that one too; a heading (a short line
    without a full stop) gets the sentence after it, which is what it heads."""
    region, i = cand.region, cand.index
    span = region.sentences[i]
    start, end = span.start, span.end
    short = len(search_form(cand.text)) < FRAGMENT_CHARS
    heading = short and not re.search(r"[。！？!?；;.:：]$", cand.text) and not cand.figures
    if heading and i + 1 < len(region.sentences):
        following = region.sentences[i + 1]
        if all(region.filled[span.start : following.end]) and following.start - span.end <= ADJOINING_GAP:
            end = following.end
    elif i > 0 and (short or _CONTINUATION.match(cand.text)):
        previous = region.sentences[i - 1]
        if all(region.filled[previous.start : span.end]) and span.start - previous.end <= ADJOINING_GAP:
            start = previous.start
    return region.base + start, region.base + end, region.text[start:end]


def _label(text: str, figure: Figure) -> str:
    """The few characters before a figure that say what it measures ('专利拥有量')."""
    head = search_form(text[: figure.start])[-LABEL_WINDOW:]
    head = re.sub(r"[\W\d_]+$", "", head)
    return _LABEL_TRIM.sub("", head)[-LABEL_CHARS:]


def _same_measure(a: Candidate, b: Candidate) -> bool:
    """Both sentences give a figure for the same measure (with different values)."""
    if (a.meta.get("language") == "en") != (b.meta.get("language") == "en"):
        return False
    for fa in a.figures:
        for fb in b.figures:
            if (fa.unit or "") != (fb.unit or ""):
                continue
            la, lb = _label(a.text, fa), _label(b.text, fb)
            if (
                len(la) >= LABEL_MATCH
                and len(lb) >= LABEL_MATCH
                and la[-LABEL_MATCH:] == lb[-LABEL_MATCH:]
                and not same_amount(fa, fb)
            ):
                return True
    return False


def _neighbour(
    best: Candidate,
    valid: list[Candidate],
    picked: list[tuple[Candidate, int, int, str]],
    after_only: bool = False,
) -> Candidate | None:
    """The better scoring of the sentences right before and after the best one, not yet picked:
    an answer often runs on into the next sentence, or is introduced by the one before."""
    around = [
        c
        for c in valid
        if c.doc_id == best.doc_id
        and c.region is best.region
        and (c.index - best.index == 1 or (c.index - best.index == -1 and not after_only))
        and not _is_heading(c.text)  # a title line adds nothing to the answer
        and not any(p[1] <= c.start < p[2] or c.start <= p[1] < c.end for p in picked)
    ]
    return max(around, key=lambda c: c.score) if around else None


@dataclass
class Choice:
    sentences: list[tuple[Candidate, int, int, str]]  # candidate, start, end, quote
    differing: bool = False
    best: Candidate | None = None  # the sentence chosen first; the others complete it
    _fitted: dict[int, list[tuple[Candidate, int, int, str]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def fitting(self, limit: int) -> list[tuple[Candidate, int, int, str]]:
        """`fitting(self.sentences, limit)`, worked out once per limit: the answer composed and
        the selector's judgement of it both need it."""
        if limit not in self._fitted:
            self._fitted[limit] = fitting(self.sentences, limit)
        return self._fitted[limit]


def _add_completing(
    best: Candidate, valid: list[Candidate], picked: list[tuple[Candidate, int, int, str]], min_support: float
) -> None:
    """A nearby sentence that covers what the best one leaves out, added to `picked`."""
    missing = {g for g, v in best.own.items() if v == 0}
    if not missing:
        return
    for other in valid[1:]:
        if (
            other.doc_id != best.doc_id
            or other.start > best.end + COMPLETING_REACH
            or other.end < best.start - COMPLETING_REACH
        ):
            continue
        adds = sum(other.own.get(g, 0) for g in missing)
        if (
            adds > 0
            and other.coverage >= min_support * COMPLETING_SUPPORT
            and other.score >= best.score - COMPLETING_SCORE
        ):
            picked.append((other, *_extend_fragment(other)))
            picked.sort(key=lambda p: p[1])
            return


def choose(
    question: Question,
    ranked: list[Candidate],
    min_support: float,
    max_sentences: int,
    second_sentence: float = 0.0,
    short_answer: int = SHORT_ANSWER,
) -> Choice | None:
    valid = [c for c in ranked if not c.reasons]
    if not valid:
        return None
    # The best sentence, or one close to it in score that covers enough of the question. How well
    # a sentence fits the kind of answer asked orders them, but does not make a sentence that
    # covers too little of the question outscore, and so refuse, one that covers enough.
    top = max(c.score - c.fit for c in valid)
    eligible = [
        c
        for c in valid
        if (c.coverage >= min_support or (not question.wants_figure and _paraphrased(c, min_support)))
        and c.score - c.fit >= top - CLOSE_TO_BEST
        and (not question.wants_figure or _counts(question, c))
        and not _yearless(question, c)
    ]
    if not eligible:
        return None
    best = eligible[0]
    valid = [best] + [c for c in valid if c is not best]
    picked = [(best, *_extend_fragment(best))]
    if len(picked) < max_sentences:
        _add_completing(best, valid, picked, min_support)
    if second_sentence > 0 and len(picked) == 1 and len(picked) < max_sentences:
        for other in valid[1:]:
            own_share = sum(other.own.values()) / (sum(best.own.values()) or 1.0)
            if (
                other.doc_id == best.doc_id
                and other.score >= best.score - second_sentence
                and own_share >= SECOND_OWN_SHARE
                and not (other.start < picked[0][2] and other.end > picked[0][1])
            ):
                picked.append((other, *_extend_fragment(other)))
                picked.sort(key=lambda p: p[1])
                break
    differing = False
    if question.wants_figure and best.figures:
        for other in valid[1:]:
            if len(picked) >= max_sentences:
                break
            if any(other.doc_id == p[0].doc_id for p in picked):
                continue
            if (
                other.score >= best.score - OTHER_FIGURE_SCORE
                and other.coverage >= min_support
                and _same_measure(best, other)
            ):
                picked.append((other, *_extend_fragment(other)))
                differing = True
        if differing:
            picked.sort(key=lambda p: str(p[0].meta.get("published") or ""), reverse=True)
    if sum(len(p[3]) for p in picked) < short_answer and len(picked) < max_sentences:
        # A sentence giving the figure asked for leads the answer: only what follows it is added.
        neighbour = _neighbour(best, valid, picked, after_only=question.wants_figure and bool(best.figures))
        if neighbour is not None:
            start, end, quote = _extend_fragment(neighbour)
            if any(start < p[2] and p[1] < end for p in picked):  # it leans on a sentence already quoted
                start, end, quote = neighbour.start, neighbour.end, neighbour.text
            picked.append((neighbour, start, end, quote))
            picked.sort(key=lambda p: p[1])
    return Choice(picked, differing, best)


def _counts(question: Question, cand: Candidate) -> bool:
    """A sentence answering "how many" names some of what is counted and holds a number (not a
    year, not the 一 of 一站式), in the unit asked where the question names one (多少件: …件)."""
    if cand.held <= 0:
        return False
    text = YEAR.sub("", _NOT_NUMBERS.sub("", search_form(cand.text)))
    if not _NUMBER.search(text):
        return False
    asked = _unit_class(question.counted)
    if asked is None or cand.meta.get("language") == "en":
        return True  # an English sentence counts in words of its own (10 times, 306 experts)
    # Refused only where every number is plainly of another kind (连续五年 for 多少件).
    asked_what = _asked_what(question)
    found = [(_unit_class(m.group(1)), m.end()) for m in _COUNTED_AMOUNT.finditer(text)]
    return not found or any(
        c is None or (c == asked and _same_thing(asked_what, _named_after(text, end))) for c, end in found
    )


def _asked_what(question: Question) -> str:
    """What a Chinese "how many" counts: its words after the unit (多少家示范企业 -> 示范企业)."""
    at = re.search(r"(?:多少|几)" + re.escape(question.counted or ""), question.form)
    if at is None:
        return ""
    end = _CLAUSE_END.search(question.form, at.end())
    return question.form[at.end() : end.start() if end else len(question.form)]


def _named_after(form: str, at: int) -> str:
    """The noun a counted figure names after it: right after its unit (13家高新技术企业), else the
    head its clause reaches over a modifier's 的 (8个技术含量高的专利池); "" for none."""
    end = _CLAUSE_END.search(form, at)
    stop = end.start() if end else len(form)
    span = measure_after_zh(form, at, stop, counted=True)
    modifier = form.rfind("的", at + 1, stop)
    if modifier > (span.end if span else at):  # what stands before 的 describes the head after it
        span = measure_after_zh(form, modifier + 1, stop)
    return form[span.start : span.end] if span else ""


def _same_thing(asked: str, named: str) -> bool:
    """A figure naming nothing may count what was asked; one naming something counts it only where
    the two share a concept or a word's characters (示范企业 for 优势企业, not 专利池 for 企业)."""
    if not asked or not named:
        return True
    return bool(set(bigrams(asked)) & set(bigrams(named)) or set(concepts(asked)) & set(concepts(named)))


def _unit_class(unit: str | None) -> int | None:
    return next((k for k, units in enumerate(_UNIT_CLASSES) if unit in units), None) if unit else None


def _yearless(question: Question, cand: Candidate) -> bool:
    """ "Which year": neither the sentence nor those beside it (which the answer may quote) name a
    year or an era's year."""
    if question.kind is None or question.kind.name != "year" or cand.fit >= 0:
        return False
    spans = cand.region.sentences[max(0, cand.index - 1) : cand.index + 2]
    return not any(fits(question.kind, search_form(cand.region.text[s.start : s.end])) for s in spans)


def _paraphrased(cand: Candidate, min_support: float) -> bool:
    """A question of many key terms, asked in other words than the passage's (最多只能当多久 for
    任期为四年): less coverage is enough where the sentence itself holds a fair share of the terms
    and the passage lacks none that weighs much. Not for figures: a number must answer what was
    asked, not something near it."""
    return (
        len(cand.own) >= PARAPHRASE_TERMS  # one entry per key term of the question
        and cand.coverage >= min_support * PARAPHRASE_SUPPORT
        and cand.held >= PARAPHRASE_HELD
        and cand.absent < PARAPHRASE_ABSENT
    )


def fitting(
    sentences: list[tuple[Candidate, int, int, str]], limit: int
) -> list[tuple[Candidate, int, int, str]]:
    """The chosen sentences whose quotes fit in `limit` characters, strongest first: they are quoted in
    document order, so a long weaker one before the best would otherwise push the best out."""
    kept: list[tuple[Candidate, int, int, str]] = []
    used = 0
    for p in sorted(sentences, key=lambda p: -p[0].score):
        if not kept or used + len(p[3]) + CITATION_MARK_CHARS <= limit:
            kept.append(p)
            used += len(p[3]) + CITATION_MARK_CHARS
    return [p for p in sentences if any(p is k for k in kept)]
