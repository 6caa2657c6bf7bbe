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
from assistant.render.ui_text import chinese_code, traditional
from assistant.render.web import citation_html
from index.figure_table import side_by_side

# The tab's words in each language of the chat's switch; Traditional Chinese is read from the
# Simplified ones as the chat's are (a switch code such as zh-Hant, zh-TW or zh-HK asks for it).
FIGURE_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "tab": "Figures",
        "place": "Place",
        "measure": "Measure",
        "year": "Year",
        "filter": "Filter",
        "cols": "measure,place,period,figure,value,kind,source,date",
        "kinds": "achieved,target,cumulative,growth,rank,other",
        "choose": "Choose a row to read its passage.",
        "none": "No figures match these filters.",
        "same": "No differing figures among these rows.",
        "differing": "Differing figures for the same measure",
    },
    "zh": {
        "tab": "数据",
        "place": "地点",
        "measure": "指标",
        "year": "年份",
        "filter": "筛选",
        "cols": "指标,地点,年份,数字,数值,类型,来源,日期",
        "kinds": "实际,目标,累计,增长,排名,其他",
        "choose": "点选一行查看原文。",
        "none": "没有符合筛选条件的数字。",
        "same": "这些数字之间没有出入。",
        "differing": "同一指标的不同数字",
    },
}
KINDS = FIGURE_TEXT["en"]["kinds"].split(",")
COLUMN_WIDTHS: list[str | int] = ["22%", "8%", "7%", "12%", "14%", "9%", "20%", "8%"]
CSS = """
#ipa-fig-compare table { border-collapse: collapse; margin: .3em 0 1em; }
#ipa-fig-compare th, #ipa-fig-compare td { border: 1px solid var(--border-color-primary); padding: .2em .6em; }
"""


def figure_text(code: str) -> dict[str, str]:
    """The tab's words for a language code of the switch: en, zh (Simplified), zh-Hant."""
    if code in FIGURE_TEXT:
        return FIGURE_TEXT[code]
    if code.lower().startswith("zh"):
        simplified = FIGURE_TEXT["zh"]
        return traditional(simplified) if chinese_code(code) == "zh-Hant" else simplified
    return FIGURE_TEXT["en"]


def _kind(kind: str, t: Mapping[str, str]) -> str:
    names = dict(zip(KINDS, t["kinds"].split(","), strict=True))
    return names.get(kind, kind)


def table_rows(
    rows: Sequence[Mapping[str, Any]], t: Mapping[str, str] = FIGURE_TEXT["en"]
) -> list[list[Any]]:
    return [
        [
            r["measure"],
            r["place"],
            r["period"],
            r["text"],
            r["normalised"],
            _kind(r["kind"], t),
            r["title"] or r["doc_id"],
            r["published"],
        ]
        for r in rows
    ]


def table_value(rows: Sequence[Mapping[str, Any]], t: Mapping[str, str]) -> dict[str, Any]:
    """The table's rows with its headers in the page's language (a plain list would bring back the
    headers the table was built with)."""
    return {"data": table_rows(rows, t), "headers": t["cols"].split(",")}


def compare_html(rows: Sequence[Mapping[str, Any]], t: Mapping[str, str] = FIGURE_TEXT["en"]) -> str:
    """Each measure and place whose sources give differing values, side by side."""
    if not rows:
        return f"<p class='ipa-meta'>{html.escape(t['none'])}</p>"
    groups = side_by_side(rows)
    if not groups:
        return f"<p class='ipa-meta'>{html.escape(t['same'])}</p>"
    parts = [f"<h3>{html.escape(t['differing'])}</h3>"]
    for group in groups:
        first = group[0]
        parts.append(f"<h4>{html.escape(first['measure'])} · {html.escape(first['place'])}</h4><table><tr>")
        parts.extend(
            f"<th>{html.escape(r['text'])}<br><small>{html.escape(r['normalised'])}</small></th>"
            for r in group
        )
        parts.append("</tr><tr>")
        parts.extend(
            f"<td>{html.escape(r['period'] or '—')} · {html.escape(_kind(r['kind'], t))}<br>"
            f"<small>{html.escape(r['title'] or r['doc_id'])} · {html.escape(r['published'] or '')}</small></td>"
            for r in group
        )
        parts.append("</tr></table>")
    return "".join(parts)


def placeholder_html(t: Mapping[str, str]) -> str:
    return f"<p class='ipa-meta'>{html.escape(t['choose'])}</p>"


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


def labels(t: Mapping[str, str]) -> list[Any]:
    """Updates for the tab, its three filters and its button, in `figures_tab`'s order."""
    return [
        gr.update(label=t["tab"]),
        gr.update(label=t["place"]),
        gr.update(label=t["measure"]),
        gr.update(label=t["year"]),
        gr.update(value=t["filter"]),
    ]


def figures_tab(library: Library, lang: gr.Radio, code: Any, first: str = "en") -> None:
    """The tab, inside the chat's gr.Blocks. `code` maps a choice of the language switch `lang` to a
    language code; the tab's words follow the switch. `first`: the language it is built in."""
    t0 = figure_text(first)
    with gr.Tab(t0["tab"], id="figures") as tab:
        shown, chosen = gr.State([]), gr.State(None)
        with gr.Row():
            place = gr.Textbox(label=t0["place"], elem_id="ipa-fig-place", scale=2)
            measure = gr.Textbox(label=t0["measure"], elem_id="ipa-fig-measure", scale=3)
            year = gr.Textbox(label=t0["year"], elem_id="ipa-fig-year", scale=1)
            go = gr.Button(t0["filter"], variant="primary", elem_id="ipa-fig-filter", scale=1)
        with gr.Row():
            with gr.Column(scale=3):
                table = gr.Dataframe(
                    headers=t0["cols"].split(","),
                    interactive=False,
                    wrap=True,
                    elem_id="ipa-figures",
                    datatype="str",
                    column_widths=COLUMN_WIDTHS,
                )
            with gr.Column(scale=2):
                passage = gr.HTML(placeholder_html(t0), elem_id="ipa-fig-passage")
        compare = gr.HTML(elem_id="ipa-fig-compare")

    def refresh(where: str, what: str, when: str, choice: str):
        t = figure_text(code(choice))
        rows = library.figures(place=where or None, measure=what or None, year=parse_year(when))
        return rows, None, table_value(rows, t), compare_html(rows, t), placeholder_html(t)

    def open_row(rows: list[dict[str, Any]], choice: str, evt: gr.SelectData):
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not isinstance(index, int) or not 0 <= index < len(rows):
            return gr.skip(), gr.skip()
        return rows[index], passage_html(rows[index], library, code(choice))

    def relabel(choice: str, rows: list[dict[str, Any]], row: dict[str, Any] | None):
        t = figure_text(code(choice))
        shown_passage = passage_html(row, library, code(choice)) if row else placeholder_html(t)
        return [*labels(t), table_value(rows, t), compare_html(rows, t) if rows else "", shown_passage]

    inputs, outputs = [place, measure, year, lang], [shown, chosen, table, compare, passage]
    for event in (go.click, place.submit, measure.submit, year.submit, tab.select):
        event(refresh, inputs, outputs, api_visibility="private")
    table.select(open_row, [shown, lang], [chosen, passage], api_visibility="private")
    # .change, not .input: the page sets the switch to the visitor's language on load, too.
    lang.change(
        relabel,
        [lang, shown, chosen],
        [tab, place, measure, year, go, table, compare, passage],
        api_visibility="private",
        queue=False,
    )
