"""Rule-based follow-ups: "那长沙呢?", "2021年呢?", "And Changsha?" take their subject from the
previous question. With an LLM configured, the LLM condenses first and this is the fallback."""

from __future__ import annotations

import re

from assistant.models import Turn
from index.glossary import default_glossary
from index.normalize import normalize

_ZH_FOLLOWUP = re.compile(
    r"^(?:那|那么|那么在|还有|再问一下)?(?P<core>.{1,16}?)(?:的情况|怎么样|如何)?(?:呢|吗)?[?？。!！]*$"
)
_EN_FOLLOWUP = re.compile(
    r"^(?:and|what about|how about|and what about|same for|and for|and in|then)\s+(?P<core>.{1,40}?)[?.!]*$",
    re.I,
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:年)?(?!\d)")


def _places(text: str) -> list[tuple[int, int]]:
    form = normalize(text)
    glossary = default_glossary()
    spans = [(m.start, m.end) for m in glossary.mentions(form) if m.concept.kind == "place"]
    # keep the longest of overlapping mentions
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int]] = []
    for s in spans:
        if not out or s[0] >= out[-1][1]:
            out.append(s)
    return out


def is_followup(question: str) -> str | None:
    """The new subject of an elliptical follow-up, or None for a self-contained question."""
    q = question.strip()
    if not q:
        return None
    m = _EN_FOLLOWUP.match(q)
    if m:
        return m.group("core").strip()
    if re.search(r"[呢]\s*[?？]?$", q) and len(q) <= 20:
        m = _ZH_FOLLOWUP.match(q)
        if m:
            return m.group("core").strip()
    return None


def condense(question: str, history: list[Turn] | None) -> str:
    """The question to search: a follow-up with its subject carried over, else the question."""
    if not history:
        return question
    core = is_followup(question)
    if core is None:
        return question
    previous = history[-1].searched or history[-1].question
    new_places = _places(core)
    new_years = _YEAR.findall(core)
    result = previous
    if new_places:
        old = _places(previous)
        name = core[new_places[0][0] : new_places[0][1]] if len(normalize(core)) == len(core) else core
        if old:
            start, end = old[0]
            result = previous[:start] + name + previous[end:]
            for extra_start, extra_end in reversed(old[1:]):  # drop further old places
                result = (
                    result[: extra_start - (end - start) + len(name)]
                    + result[extra_end - (end - start) + len(name) :]
                )
        else:
            result = f"{name} {previous}"
    if new_years:
        year = new_years[0]
        if _YEAR.search(result):
            digits = year.removesuffix("年")  # keep the old mention's 年, whichever form was asked
            result = _YEAR.sub(
                lambda m: digits + ("年" if m.group(0).endswith("年") else ""), result, count=1
            )
        else:
            result = f"{year} {result}"
    if not new_places and not new_years:
        # "那专利呢?": a new topic word with the old subject
        result = f"{previous} {core}"
    return result
