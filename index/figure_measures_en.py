"""What a figure counts in English: the noun phrase next to its number, read with a short list of
function words. Offsets are into the search form (index.figure_text.form_of)."""

from __future__ import annotations

import re

from index.figure_text import Span
from index.figure_times import NOT_MEASURE_EN
from index.figures import find_figures

# English words that are no part of a measure's name: articles, auxiliaries, prepositions, and
# the verbs and adverbs that link a measure to its number ('reached', 'a total of').
EN_FUNCTION = frozenset(
    """a an the of to in on at by for from with and or as is are was were be been being has have had which
    that this these those it its their our who whom whose into over under about around nearly
    approximately almost more than less up down reach reached reaches reaching exceed exceeded exceeding
    exceeds hit total totalling totaling amounted amounting amount to accumulated cumulative achieved
    achieving became become stood standing rose grew increased increasing decreased fell up by some per
    cent percent yuan rmb million billion thousand trillion times helped help helping so far while also
    were will would should could may might can did do does set established launched identified introduced
    built held approved attracting attracted where there then when after before since through during such
    other compared totaled totalled numbered came topped surpassed passed jumped climbed dropped declined rise increase
    together jointly alone combined altogether respectively across throughout within among
    began begun won got made took gave saw went paid sold drew brought""".split()  # noqa: SIM905
)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def measure_before_en(form: str, start: int, end: int) -> Span | None:
    """English: the content words just before the number, linking words ('to reach', 'a total
    of') skipped; stops at punctuation and function words."""
    words = list(_EN_WORD.finditer(form, start, end))
    i = len(words) - 1
    while i >= 0 and words[i].group().lower() in EN_FUNCTION:
        if re.search(
            r"[^\sA-Za-z'-]", form[words[i].end() : end if i == len(words) - 1 else words[i + 1].start()]
        ):
            return None
        i -= 1
    last = i
    if last < 0:
        return None
    i = _run_start(form, words, last)
    # 'pledges across the country': a place after a preposition is the scope of the noun before it
    j = i - 1
    while j >= 0 and words[j].group().lower() in EN_FUNCTION and not _gap(form, words, j):
        scope = words[j + 1].group() if j + 1 < len(words) else ""
        if (
            words[j].group().lower() in _LOCATIVE_EN
            and (scope.lower() in ("the", "its", "their") or scope[:1].isupper())
            and j > 0
            and not _gap(form, words, j - 1)
        ):
            head = j - 1
            while head >= 0 and words[head].group().lower() in ("the", "a", "an", "its", "their"):
                head -= 1
            if head >= 0 and words[head].group().lower() not in EN_FUNCTION:
                last, i = head, _run_start(form, words, head)
            break
        j -= 1
    while i + 1 <= last and re.fullmatch(r"(?:last|this|next) (?:year|month|quarter)", _pair(words, i)):
        i += 2  # 'Last year licensing income': a time opening the clause is no part of the measure
    if i > last:
        return None
    return Span(words[i].start(), words[last].end())


def _pair(words: list[re.Match[str]], i: int) -> str:
    return f"{words[i].group()} {words[i + 1].group()}".lower()


_LOCATIVE_EN = frozenset(["across", "in", "throughout", "within", "among", "nationwide"])


def _gap(form: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether something other than spaces stands between words i and i + 1."""
    return (
        i + 1 < len(words) and re.search(r"[^\s'-]", form[words[i].end() : words[i + 1].start()]) is not None
    )


def _run_start(form: str, words: list[re.Match[str]], last: int) -> int:
    """The first of the content words that end at words[last] with nothing but spaces between."""
    i = last
    while i >= 0 and words[i].group().lower() not in EN_FUNCTION:
        if i < last and _gap(form, words, i):
            break
        i -= 1
    return i + 1


def measure_after_en(form: str, start: int, end: int) -> Span | None:
    """English: the noun phrase after a number ('58 demonstration pilot units of X', '32 million
    yuan of risk compensation funds'): content words, with one 'of' phrase."""
    if NOT_MEASURE_EN.match(form, start, end):
        return None  # '15% more than in 2018', 'up 11.2% year on year': a comparison, not a measure
    words = list(_EN_WORD.finditer(form, start, end))
    i, first, used_of = 0, None, False
    while i < len(words):
        word = words[i].group().lower()
        gap = form[words[i - 1].end() : words[i].start()] if i else form[start : words[0].start()]
        if re.search(r"[^\s'-]", gap):
            break
        if word == "of" and first is not None and not used_of:
            used_of = True
        elif word == "and" and first is not None and _joins(form, words, i):
            pass  # '3,000 small and medium-sized enterprises': one phrase
        elif word in ("of", "the", "a", "an", "more", "additional") and first is None:
            pass
        elif word in EN_FUNCTION or (word.endswith("ed") and "-" not in word and first is not None):
            # a participle ends the phrase ('projects completed'); medium-sized is an adjective
            break
        elif first is not None and NOT_MEASURE_EN.match(form, words[i].start()):
            break  # '8,000 projects last year': a time, not what is counted
        elif first is None:
            first = i
        i += 1
    if first is None:
        return None
    last = i - 1
    while last > first and words[last].group().lower() in EN_FUNCTION:
        last -= 1
    return Span(words[first].start(), words[last].end())


def _joins(form: str, words: list[re.Match[str]], at: int) -> bool:
    """Whether the 'and' at `at` joins two content words with nothing but spaces between."""
    if at + 1 >= len(words) or words[at + 1].group().lower() in EN_FUNCTION:
        return False
    return not form[words[at].end() : words[at + 1].start()].strip()


def measure_of_clause_en(form: str, clause: Span) -> Span | None:
    """What the last figure (not a year) of an English clause counts."""
    text = form[clause.start : clause.end]
    found = [f for f in find_figures(text) if f.unit or not re.fullmatch(r"(?:19|20)\d{2}", f.text.strip())]
    if not found:
        return None
    before = measure_before_en(form, clause.start, clause.start + found[-1].start)
    after = measure_after_en(form, clause.start + found[-1].end, clause.end)
    return (before or after) if found[-1].unit in ("元", "usd", "%", "倍") else (after or before)
