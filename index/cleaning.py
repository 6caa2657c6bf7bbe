"""Keep web page chrome out of the chunks: navigation, credits, copyright and reprint notices.

Cleaning never rewrites text. It returns the spans of the original text worth indexing, so chunk
offsets still point into the original document.
"""

from __future__ import annotations

import re

from index.chunking import Span
from index.normalize import normalize
from index.wordlists import alternatives

# The phrases are data (index/data/*.txt, one pattern a line); the anchors are here.
# Whole lines that are navigation or widgets (matched on the normalised line, any script).
_CHROME_LINE = re.compile(rf"^(?:{alternatives('chrome_lines')})$")
# Lines that start with a breadcrumb, a tag list or a credit.
_CHROME_PREFIX = re.compile(rf"^(?:{alternatives('chrome_prefixes')})")
# Copyright and reprint notices. IP articles themselves talk about 未经授权, 版权所有 and 法律责任,
# so those words alone never make a line a notice: only phrases that appear in notices and nowhere
# else, or a notice word next to the site speaking of itself (本网, 本站, 网站, ...).
_NOTICE = re.compile(alternatives("notices"))
_NOTICE_WORD = re.compile(
    r"未经(?:书面)?(?:许可|授权)|版权所有(?![人者])|版权归|独家负责|使用授权|法律责任|均无权|不得转载"
)
_SITE_SELF = re.compile(r"本[网站报刊台]|网站|公众号|来源[:：]|稿件")
_MAX_CREDIT_LINE = 80
# Headings of lists of other articles: the short headline lines after them are not content either.
_RELATED_HEADING = re.compile(rf"^(?:{alternatives('related_headings')})[:：]?$")
_MAX_HEADLINE = 40
_SENTENCE_MARK = re.compile(r"[。！？!?；;]|\.\s")


def is_boilerplate(line: str) -> bool:
    """Whether a single line of a page is chrome rather than article content."""
    form = normalize(line).strip()
    if not form:
        return True
    if _CHROME_LINE.match(form) or _NOTICE.search(form):
        return True
    if _NOTICE_WORD.search(form) and _SITE_SELF.search(form):
        return True
    return len(form) <= _MAX_CREDIT_LINE and _CHROME_PREFIX.match(form) is not None


def _is_headline(line: str) -> bool:
    form = normalize(line).strip()
    return len(form) <= _MAX_HEADLINE and not _SENTENCE_MARK.search(form)


def content_spans(text: str) -> list[Span]:
    """Maximal runs of kept lines, as trimmed spans of `text`."""
    spans: list[Span] = []
    run_start: int | None = None
    run_end = 0
    pos = 0
    in_related = False
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line)
        pos = end
        if not line.strip():
            continue  # blank lines neither break nor extend a run
        if _RELATED_HEADING.match(normalize(line).strip()):
            in_related = True
        elif in_related and not _is_headline(line):
            in_related = False  # real prose again: the list of headlines has ended
        if in_related or is_boilerplate(line):
            if run_start is not None:
                spans.append(Span(run_start, run_end))
                run_start = None
            continue
        if run_start is None:
            run_start = start
        run_end = end
    if run_start is not None:
        spans.append(Span(run_start, run_end))
    return [s for s in (_trim(text, s) for s in spans) if s is not None]


def _trim(text: str, span: Span) -> Span | None:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None
