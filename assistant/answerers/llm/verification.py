"""Checks on a generated answer, sentence by sentence, before anyone relies on it.

A sentence is kept only if it cites at least one passage, cites only passages that were given,
and every figure in it (amounts, counts, percentages, years; Chinese or Arabic numerals, any
scale: 14.95亿元 == 1.495 billion yuan) stands in a passage it cites, outside text that reads like
an instruction to the model, and it does not mostly repeat such text. Kept sentences are renumbered in order of first citation. The
`Verifier` works on a stream, so verified sentences can be shown while the model is writing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from assistant.constants import CANNOT_ANSWER_PHRASE
from index.figures import Figure, chinese_numeral_value, find_figures, same_amount
from index.normalize import to_simplified

MARKER = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*)\s*[\]】］]")
_PARTIAL_MARKER = re.compile(r"\s*(?:[\[【［][\d\s,，、;；]*)?")
_END = re.compile(r"[。！？!?；;…]+|\.(?!\d)|\n+")
_TAIL = re.compile(rf"\s+|{MARKER.pattern}|[”’\"'」』）)\]]+|[。！？!?；;…]+|\.(?!\d)")
_ENUMERATOR = re.compile(r"^\s*(?:\d{1,2}[.、)](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]、|[-*•])\s*")
_LONE_ENUMERATOR = re.compile(r"\s*(?:\d{1,2}|[a-zA-Z])[.)]\s*")
_SIG_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_ORDINAL = re.compile(r"第([零〇一二两三四五六七八九十百千]+)")
_STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
    }
)
_COUNT_UNITS = {"件", "项", "个", "笔", "家", "所", "名", "人", "位", "次"}

# Text in an article that talks to the model rather than about intellectual property.
_INSTRUCTION = re.compile(
    r"ignore\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|other)\s+"
    r"(?:instructions?|prompts?|directions?|rules?|messages?)"
    r"|disregard\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:previous|prior|above|earlier)"
    r"|(?:system|developer)\s+prompt|you\s+are\s+now\s+(?:a|an|the)\b|new\s+instructions?\s*:"
    r"|(?:忽略|无视|忘记|忘掉)(?:掉)?(?:你)?(?:之前|以上|前面|上面|先前|此前|所有|全部|其他)[^。！？\n]{0,6}?"
    r"(?:指令|指示|说明|提示|要求|规则|设定)"
    r"|系统提示词?|你现在(?:是|扮演)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as numbered in the prompt; `header` (title, date) was shown with it."""

    n: int
    text: str
    header: str = ""


@dataclass
class Verification:
    text: str  # the kept sentences, renumbered
    order: list[int] = field(default_factory=list)  # given passage numbers in order of first citation
    removed: list[str] = field(default_factory=list)  # "sentence — reason"
    cannot_answer: bool = False
    instruction_like: list[int] = field(default_factory=list)  # passages with text aimed at the model


def split_sentences(text: str) -> list[str]:
    """Sentences of a generated answer, each with the citation markers that follow it.

    The pieces join back to `text` exactly."""
    pieces: list[str] = []
    start = pos = 0
    while (m := _END.search(text, pos)) is not None:
        end = m.end()
        while (t := _TAIL.match(text, end)) is not None and t.end() > end:
            end = t.end()
        pieces.append(text[start:end])
        start = pos = end
    if start < len(text):
        pieces.append(text[start:])
    merged: list[str] = []
    for piece in pieces:  # "1." of a numbered list starts a sentence, it does not end one
        if merged and _LONE_ENUMERATOR.fullmatch(merged[-1]):
            merged[-1] += piece
        else:
            merged.append(piece)
    return merged


def cited(sentence: str) -> list[int]:
    """Passage numbers a sentence cites, in order, without repeats."""
    out: list[int] = []
    for m in MARKER.finditer(sentence):
        for part in re.split(r"[,，、;；]", m.group(1)):
            n = int(part.strip())
            if n not in out:
                out.append(n)
    return out


def instruction_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of `text` that address the model (prompt injection)."""
    simple = to_simplified(text)  # same length as text
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[。！？!?\n]+|\.(?=\s|$)", simple + "\n"):
        if _INSTRUCTION.search(simple[start : m.end()]):
            spans.append((start, min(m.end(), len(text))))
        start = m.end()
    return spans


def _support(passage: Passage) -> tuple[list[Figure], list[Figure]]:
    """Figures of a passage usable as support, and those inside instruction-like text."""
    text = f"{passage.header}\n{passage.text}"
    spans = instruction_spans(text)
    figures = list(find_figures(text))
    for m in _ORDINAL.finditer(to_simplified(text)):  # 第五 supports "5th"
        value = chinese_numeral_value(m.group(1))
        if value is not None:
            figures.append(Figure(m.group(0), m.start(), m.end(), value, None))
    good: list[Figure] = []
    bad: list[Figure] = []
    for f in figures:
        (bad if any(a <= f.start < b for a, b in spans) else good).append(f)
    return good, bad


def _terms(text: str) -> set[str]:
    """Words (Latin) and character bigrams (Chinese) of a text, for overlap."""
    simple = to_simplified(text).lower()
    terms = {w for w in re.findall(r"[a-z0-9]+", simple) if w not in _STOPWORDS}
    for run in re.findall(r"[\u4e00-\u9fff]+", simple):
        terms.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return terms


def _split_terms(passage: Passage) -> tuple[set[str], set[str]]:
    """Terms of a passage outside and inside its instruction-like sentences."""
    text = passage.text
    spans = instruction_spans(text)
    inside = "".join(text[a:b] for a, b in spans)
    outside: list[str] = []
    last = 0
    for a, b in spans:
        outside.append(text[last:a])
        last = b
    outside.append(text[last:])
    return _terms(passage.header + " " + " ".join(outside)), _terms(inside)


def _significant(figure: Figure) -> int | None:
    """Significant digits of a figure written in Arabic numerals (1.5 billion: 2; 76,100: 5).

    Trailing zeros count: "2000" must not pass for 2021, nor "1,000" for 1,068."""
    m = _SIG_NUMBER.search(figure.text)
    if m is None:
        return None
    return max(1, len(m.group(0).replace(",", "").replace(".", "").lstrip("0")))


def supports(claim: Figure, source: Figure) -> bool:
    """Whether a passage's figure supports a claimed one: the same amount, or the claim is the
    passage's amount rounded to the claim's precision (1.5 billion for 14.95亿), never a nearby
    different number (2019 for 2021)."""
    if not (
        claim.unit is None
        or source.unit is None
        or claim.unit == source.unit
        or {claim.unit, source.unit} <= _COUNT_UNITS
    ):
        return False
    if same_amount(claim, source, tolerance=1e-9):
        return True
    digits = _significant(claim)
    if digits is None or (claim.unit == "%") != (source.unit == "%") or source.value == 0:
        return False
    exponent = math.floor(math.log10(abs(source.value)))
    rounded = round(source.value, digits - 1 - exponent)
    return math.isclose(rounded, claim.value, rel_tol=1e-9)


def claim_figures(sentence: str) -> list[Figure]:
    """Figures a sentence states: citation markers and list numbering are not figures."""
    body = MARKER.sub(lambda m: " " * len(m.group(0)), sentence)
    body = _ENUMERATOR.sub(lambda m: " " * len(m.group(0)), body)
    return find_figures(body)


def is_cannot_answer(text: str) -> bool:
    return CANNOT_ANSWER_PHRASE in text


class Verifier:
    """Verifies a generated answer as it streams in: `feed` returns newly verified text."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = {p.n: p for p in passages}
        self._support = {p.n: _support(p) for p in passages}
        self._terms = {p.n: _split_terms(p) for p in passages}
        self.pending = ""
        self.kept: list[str] = []
        self.order: list[int] = []
        self.removed: list[str] = []
        self.cannot_answer = False

    def feed(self, delta: str) -> str:
        self.pending += delta
        pieces = split_sentences(self.pending)
        hold = 1
        if len(pieces) > 1 and _PARTIAL_MARKER.fullmatch(pieces[-1]):
            hold = 2  # "…。[" may still become "…。[1]"
        done, rest = pieces[:-hold], pieces[-hold:]
        self.pending = "".join(rest)
        return "".join(self._judge(s) for s in done)

    def close(self) -> str:
        """Judge what is left at the end of the stream; returns its verified text."""
        text, self.pending = self._judge(self.pending), ""
        return text

    def result(self) -> Verification:
        flagged = [n for n, p in self.passages.items() if instruction_spans(f"{p.header}\n{p.text}")]
        return Verification(
            text="".join(self.kept).strip(),
            order=list(self.order),
            removed=list(self.removed),
            cannot_answer=self.cannot_answer,
            instruction_like=flagged,
        )

    def _judge(self, sentence: str) -> str:
        """The sentence renumbered if it passes, else "" (and the reason in `removed`)."""
        if not sentence.strip():
            self.kept.append(sentence)
            return sentence
        if is_cannot_answer(sentence):
            self.cannot_answer = True
            return ""
        reason = self.reason(sentence)
        if reason:
            self.removed.append(f"{sentence.strip()} — {reason}")
            return ""
        for n in cited(sentence):
            if n not in self.order:
                self.order.append(n)
        new = {old: i for i, old in enumerate(self.order, 1)}
        text = MARKER.sub(lambda m: "".join(f"[{new[n]}]" for n in cited(m.group(0))), sentence)
        self.kept.append(text)
        return text

    def reason(self, sentence: str) -> str | None:
        """Why a sentence fails verification, or None when it passes."""
        numbers = cited(sentence)
        if not numbers:
            return "no citation"
        given = sorted(self.passages)
        unknown = [n for n in numbers if n not in self.passages]
        if unknown:
            listed = f"1–{given[-1]}" if given else "none"
            return f"cites {', '.join(f'[{n}]' for n in unknown)}, not among the passages given ({listed})"
        for figure in claim_figures(sentence):
            if any(supports(figure, g) for n in numbers for g in self._support[n][0]):
                continue
            marks = "".join(f"[{n}]" for n in numbers)
            if any(supports(figure, g) for n in numbers for g in self._support[n][1]):
                return f"figure {figure.text} appears in {marks} only in text addressed to the model"
            return f"figure {figure.text} is not in the cited passage {marks}"
        # A sentence that mostly repeats what an article tells the model to say follows an injection.
        terms = _terms(MARKER.sub(" ", sentence))
        injected = set().union(*(self._terms[n][1] for n in numbers))
        if terms and injected:
            clean = set().union(*(self._terms[n][0] for n in numbers))
            inside, outside = len(terms & injected) / len(terms), len(terms & clean) / len(terms)
            if inside >= 0.5 and inside > outside + 0.2:
                marks = "".join(f"[{n}]" for n in numbers)
                return f"repeats text of {marks} that is addressed to the model"
        return None


def verify(text: str, passages: list[Passage]) -> Verification:
    """Verify a whole generated answer."""
    verifier = Verifier(passages)
    verifier.feed(text)
    verifier.close()
    return verifier.result()


__all__ = ["Passage", "Verification", "Verifier", "cited", "instruction_spans", "split_sentences", "verify"]
