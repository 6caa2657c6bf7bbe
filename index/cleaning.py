"""Keep web page chrome out of the chunks: navigation, credits, copyright and reprint notices.

Cleaning never rewrites text. It returns the spans of the original text worth indexing, so chunk
offsets still point into the original document.
"""

from __future__ import annotations

import re

from index.chunking import Span
from index.normalize import normalize

# Whole lines that are navigation or widgets (matched on the normalised line, any script).
_CHROME_LINE = re.compile(
    r"^(?:加载中\.*|上一篇[:：]?.{0,40}|下一篇[:：]?.{0,40}|相关(?:新闻|阅读|文章|推荐)|特别关注|热文推荐"
    r"|焦点资讯|热点推荐|推荐阅读|延伸阅读|关注|滑动浏览|分享到?[:：]?.{0,20}|打印|关闭(?:窗口)?"
    r"|返回(?:顶部|首页)|扫一扫.{0,30}|点击(?:进入|查看).{0,20}|(?:点赞|收藏|评论|转发)\s*\d*"
    r"|share|print|related (?:news|articles)|read more|back to top|loading\.*)$"
)
# Lines that start with a breadcrumb, a tag list or a credit.
_CHROME_PREFIX = re.compile(
    r"^(?:您(?:现在)?的位置|当前位置|标签[:：]|关键词[:：]|(?:责任)?编辑[:：]|校对[:：]|主编[:：]|美编[:：]"
    r"|文字[:：]|资料[:：]|图片[:：]|来源[:：]|作者[:：]|you are here)"
)
# Sentences typical of copyright and reprint notices.
_NOTICE = re.compile(
    r"凡本网|本网注明|未经(?:书面)?授权|版权所有|版权归.{0,10}所有|独家负责|使用授权|追究.{0,6}法律责任"
    r"|均无权|转载目的|不代表本网|本网赞同|事由发生之日起|自有版权信息|侵权方承担|禁止转载|转载请注明"
    r"|all rights reserved|copyright\s*(?:©|\(c\)|\d{4})"
)
_MAX_CREDIT_LINE = 80


def is_boilerplate(line: str) -> bool:
    """Whether a single line of a page is chrome rather than article content."""
    form = normalize(line).strip()
    if not form:
        return True
    if _CHROME_LINE.match(form) or _NOTICE.search(form):
        return True
    return len(form) <= _MAX_CREDIT_LINE and _CHROME_PREFIX.match(form) is not None


def content_spans(text: str) -> list[Span]:
    """Maximal runs of kept lines, as trimmed spans of `text`."""
    spans: list[Span] = []
    run_start: int | None = None
    run_end = 0
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line)
        pos = end
        if not line.strip():
            continue  # blank lines neither break nor extend a run
        if is_boilerplate(line):
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
