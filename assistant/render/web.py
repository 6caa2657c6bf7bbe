"""Answers and cited passages as safe Markdown and HTML for the web chat.

Everything that comes from articles or users is escaped here: HTML-escaped, and in Markdown
messages the Markdown marks are backslashed, so an article's <script>, <img onerror> or
![image](http://elsewhere) shows as text and loads nothing.
"""

from __future__ import annotations

import html
import re

from assistant.library import WHOLE_DOCUMENT_CHARS, Library
from assistant.models import Answer, Citation
from assistant.render.ui_text import TEXT, ui_language

CSS = """
.ipa-sources details { border: 1px solid var(--border-color-primary); border-radius: 6px;
  padding: .4em .6em; margin: .4em 0; }
.ipa-sources summary { cursor: pointer; }
.ipa-sources .ipa-context { white-space: pre-wrap; margin: .5em 0; line-height: 1.6; }
.ipa-sources mark { background: #ffe58a; color: #1f2328; padding: 0 .1em; }
.ipa-sources .ipa-meta, .ipa-searched, .ipa-confidence { color: var(--body-text-color-subdued); font-size: .9em; }
.ipa-sources details.ipa-whole { border: 0; padding: 0; margin: .3em 0 0; }
.ipa-sources .ipa-doc { position: relative; max-height: 22em; overflow: auto; white-space: pre-wrap;
  line-height: 1.6; padding: .4em; border: 1px solid var(--border-color-primary); border-radius: 4px; }
#ipa-title h2 { word-break: keep-all; overflow-wrap: normal; hyphens: none; margin: 0; }
@media (max-width: 640px) {
  #ipa-header { flex-wrap: wrap; }
  #ipa-header > *, #ipa-lang { min-width: 100% !important; }
}
"""
# Opening "show the whole document" scrolls it to the highlighted passage ('toggle' does not bubble:
# listen while it is captured on the way down, so that re-rendered sources need no new listener).
SOURCES_JS = """
element.addEventListener('toggle', (event) => {
  const whole = event.target;
  if (!whole.open || !whole.classList || !whole.classList.contains('ipa-whole')) return;
  const box = whole.querySelector('.ipa-doc');
  const mark = box && box.querySelector('mark');
  if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
}, true);
"""
QUOTE_CHARS = 90  # a quote under a source's title, and a closest passage in a refusal, is cut here

_MD_INLINE = re.compile(r"([\\`*_\[\]()!|~$#])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)])(?=\s|$))", re.M)


def _escape_line_start(m: re.Match[str]) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


# A web address in article text, up to a space, a quote, a bracket of markup or CJK punctuation.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'`\\\u3000-\u303f\uff00-\uffef]+", re.I)
_URL_TRAILING = ".,:;!?*_~"


def _url_end(url: str) -> str:
    """The address without the punctuation that ends its sentence or closes its brackets."""
    while url and (url[-1] in _URL_TRAILING or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url


def _escaped(text: str) -> str:
    escaped = html.escape(_MD_INLINE.sub(r"\\\1", text), quote=False)
    return _MD_LINE_START.sub(_escape_line_start, escaped)


def md_text(text: str) -> str:
    """Text shown as itself in a Markdown message: inline Markdown marks backslashed, list, heading
    and rule marks at line starts backslashed, then HTML escaped (so no tag survives). Web addresses
    become links of their own, so that the renderer's autolinking cannot take in a backslash."""
    parts: list[str] = []
    done = 0
    for m in _URL.finditer(text):
        url = _url_end(m.group(0))
        if len(url) <= len("https://") or m.start() < done:
            continue
        href = url if "://" in url else f"http://{url}"
        parts.append(_escaped(text[done : m.start()]))
        parts.append(f"[{_escaped(url)}](<{html.escape(href, quote=False)}>)")
        done = m.start() + len(url)
    parts.append(_escaped(text[done:]))
    return "".join(parts)


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` cut to about `limit` characters, not inside a word, with … where it was cut."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while (
        cut > limit // 2
        and text[cut - 1].isascii()
        and text[cut].isascii()
        and text[cut - 1 : cut + 1].isalnum()
    ):
        cut -= 1
    return text[:cut].rstrip() + "…"


def answer_markdown(ans: Answer, lang: str) -> str:
    """The chat message of an answer: searched question (if it differs), the answer text, and for a
    refusal the closest passages it announces."""
    t = TEXT[ui_language(lang)]
    lines = []
    if ans.searched_question and ans.searched_question != ans.question:
        lines.append(f"*{md_text(t['searched'])}: {md_text(ans.searched_question)}*\n")
    lines.append(md_text(ans.answer))
    if not ans.answerable and ans.related:
        lines.append("")
        for c in ans.related:
            label = c.title or c.doc_id
            lines.append(f"- \\[{c.n}\\] “{md_text(shorten(c.quote))}” — {md_text(label)}")
    return "\n".join(lines)


def _whole_document(text: str, start: int, end: int, label: str) -> str:
    """The document a passage is from, `text[start:end]` highlighted, behind a summary line; a long
    one is cut to WHOLE_DOCUMENT_CHARS around the passage."""
    if not text:
        return ""
    lo = max(0, min(start - WHOLE_DOCUMENT_CHARS // 2, len(text) - WHOLE_DOCUMENT_CHARS))
    hi = min(len(text), lo + WHOLE_DOCUMENT_CHARS)
    shown = (
        ("…" if lo > 0 else "")
        + html.escape(text[lo:start])
        + f"<mark>{html.escape(text[start:end])}</mark>"
        + html.escape(text[end:hi])
        + ("…" if hi < len(text) else "")
    )
    return (
        f"<details class='ipa-whole'><summary class='ipa-meta'>{html.escape(label)}</summary>"
        f"<div class='ipa-doc'>{shown}</div></details>"
    )


def citation_html(c: Citation, library: Library, lang: str) -> str:
    t = TEXT[ui_language(lang)]
    passage = library.passage(c.doc_id, c.start, c.end, c.quote)
    head = " · ".join(x for x in (c.title or c.doc_id, c.source, c.published) if x)
    context = (
        ("…" if passage.clipped_start else "")
        + html.escape(passage.before)
        + f"<mark>{html.escape(passage.quote)}</mark>"
        + html.escape(passage.after)
        + ("…" if passage.clipped_end else "")
    )
    figures = "".join(f"<div class='ipa-meta'>{html.escape(g)}</div>" for g in c.figures)
    return (
        f"<details class='ipa-source' data-n='{c.n}'><summary><b>[{c.n}]</b> {html.escape(head)}"
        f"<div class='ipa-meta'>“{html.escape(shorten(c.quote))}”</div></summary>"
        f"<div class='ipa-context'>{context}</div>{figures}"
        f"<div class='ipa-meta'>{html.escape(t['doc_id'])} {html.escape(c.doc_id)} · {c.language}"
        f" · {html.escape(t['chars'])} {c.start}–{c.end}</div>"
        f"{_whole_document(passage.document, c.start, c.end, t['whole_doc'])}</details>"
    )


def sources_html(ans: Answer | None, library: Library, lang: str) -> str:
    """The sources panel: every cited passage (or, unanswerable, the closest ones) in context."""
    t = TEXT[ui_language(lang)]
    if ans is None or not (ans.citations or ans.related):
        return f"<div class='ipa-sources'><p class='ipa-meta'>{html.escape(t['no_sources'])}</p></div>"
    parts = [f"<div class='ipa-sources' data-question='{html.escape(ans.question)}'>"]
    if ans.searched_question and ans.searched_question != ans.question:
        parts.append(
            f"<p class='ipa-searched'>{html.escape(t['searched'])}: "
            f"<span class='ipa-searched-q'>{html.escape(ans.searched_question)}</span></p>"
        )
    parts.append(f"<h3>{html.escape(t['sources'] if ans.citations else t['related'])}</h3>")
    parts.extend(citation_html(c, library, lang) for c in ans.citations or ans.related)
    parts.append(f"<p class='ipa-confidence'>{html.escape(t['confidence'])}: {ans.confidence:.2f}</p>")
    parts.append("</div>")
    return "".join(parts)
