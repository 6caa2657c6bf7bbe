"""The figures tab of the web chat: the figures table filtered by place, measure and year; a row
opens its passage as the chat's sources panel shows citations; differing figures of one measure
and place stand side by side with their dates and sources.

It holds no extraction or matching logic: rows come from `Library.figures` (index.figure_table).
Everything from articles is escaped before it is rendered.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import gradio as gr

from assistant.library import Library
from assistant.models import Citation
from assistant.render.ui_text import LANGUAGES
from assistant.render.web import citation_html
from index.figure_table import side_by_side

TAB = "Figures · 数据"
COLUMNS = [
    "measure · 指标",
    "place · 地点",
    "period · 年份",
    "figure · 数字",
    "value · 数值",
    "kind · 类型",
    "source · 来源",
    "date · 日期",
]
COLUMN_WIDTHS: list[str | int] = ["22%", "8%", "7%", "12%", "14%", "9%", "20%", "8%"]
CSS = """
#ipa-fig-compare table { border-collapse: collapse; margin: .3em 0 1em; }
#ipa-fig-compare th, #ipa-fig-compare td { border: 1px solid var(--border-color-primary); padding: .2em .6em; }
"""


def table_rows(rows: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    return [
        [
            r["measure"],
            r["place"],
            r["period"],
            r["text"],
            r["normalised"],
            r["kind"],
            r["title"] or r["doc_id"],
            r["published"],
        ]
        for r in rows
    ]


def compare_html(rows: Sequence[Mapping[str, Any]]) -> str:
    """Each measure and place whose sources give differing values, side by side."""
    groups = side_by_side(rows)
    if not groups:
        return "<p class='ipa-meta'>No differing figures among these rows · 这些数字之间没有出入</p>"
    parts = ["<h3>Differing figures · 不同来源的数字</h3>"]
    for group in groups:
        first = group[0]
        parts.append(f"<h4>{html.escape(first['measure'])} · {html.escape(first['place'])}</h4><table><tr>")
        parts.extend(
            f"<th>{html.escape(r['text'])}<br><small>{html.escape(r['normalised'])}</small></th>"
            for r in group
        )
        parts.append("</tr><tr>")
        parts.extend(
            f"<td>{html.escape(r['period'] or '—')} · {html.escape(r['kind'])}<br>"
            f"<small>{html.escape(r['title'] or r['doc_id'])} · {html.escape(r['published'] or '')}</small></td>"
            for r in group
        )
        parts.append("</tr></table>")
    return "".join(parts)


def passage_html(row: Mapping[str, Any], library: Library, lang: str) -> str:
    """The row's sentence in its document, rendered as the chat renders a citation (opened)."""
    found = library.document(str(row["doc_id"]))
    text = found[0] if found else ""
    start, end = int(row["sentence_start"]), int(row["sentence_end"])
    citation = Citation(
        n=1,
        doc_id=str(row["doc_id"]),
        title=str(row["title"]),
        source=str(row["source"]),
        published=str(row["published"]),
        language=str(row["language"]),
        quote=text[start:end],
        start=start,
        end=end,
        figures=[f"{row['text']} = {row['english']}"],
    )
    return (
        "<div class='ipa-sources'>"
        + citation_html(citation, library, lang).replace("<details ", "<details open ", 1)
        + "</div>"
    )


def parse_year(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def figures_tab(library: Library, lang: gr.Radio) -> None:
    """The tab, inside the chat's gr.Blocks."""
    with gr.Tab(TAB, id="figures") as tab:
        shown = gr.State([])
        with gr.Row():
            place = gr.Textbox(label="Place · 地点", elem_id="ipa-fig-place", scale=2)
            measure = gr.Textbox(label="Measure · 指标", elem_id="ipa-fig-measure", scale=3)
            year = gr.Textbox(label="Year · 年份", elem_id="ipa-fig-year", scale=1)
            go = gr.Button("Filter · 筛选", variant="primary", elem_id="ipa-fig-filter", scale=1)
        with gr.Row():
            with gr.Column(scale=3):
                table = gr.Dataframe(
                    headers=COLUMNS,
                    interactive=False,
                    wrap=True,
                    elem_id="ipa-figures",
                    datatype="str",
                    column_widths=COLUMN_WIDTHS,
                )
            with gr.Column(scale=2):
                passage = gr.HTML(
                    "<p class='ipa-meta'>Choose a row to read its passage · 点选一行查看原文</p>",
                    elem_id="ipa-fig-passage",
                )
        compare = gr.HTML(elem_id="ipa-fig-compare")

    def refresh(where: str, what: str, when: str):
        rows = library.figures(place=where or None, measure=what or None, year=parse_year(when))
        return rows, table_rows(rows), compare_html(rows)

    def open_row(rows: list[dict[str, Any]], choice: str, evt: gr.SelectData):
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not isinstance(index, int) or not 0 <= index < len(rows):
            return gr.skip()
        return passage_html(rows[index], library, LANGUAGES.get(choice or "", "en"))

    inputs, outputs = [place, measure, year], [shown, table, compare]
    for event in (go.click, place.submit, measure.submit, year.submit, tab.select):
        event(refresh, inputs, outputs, api_visibility="private")
    table.select(open_row, [shown, lang], [passage], api_visibility="private")
