"""The figures tab speaks the page's language: its tab name, filters, column headers, kinds and
empty-state texts follow the chat's language switch (English, Simplified, Traditional)."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pytest

from assistant.server.web.figures import compare_html, figure_text, figures_tab

CHOICES = {"中文": "zh", "English": "en", "繁體": "zh-Hant"}

ROWS = [
    {
        "doc_id": doc,
        "measure": "有效商标注册量",
        "measure_key": "registered_trademark",
        "place": "大连",
        "place_key": "dalian",
        "period": "2021",
        "year": 2021,
        "text": text,
        "value": value,
        "unit": "件",
        "normalised": f"{value:,.0f} 件",
        "kind": "achieved",
        "title": title,
        "published": published,
        "sentence_start": 0,
        "sentence_end": 10,
    }
    for doc, text, value, title, published in [
        ("week", "13.8万件", 138000.0, "知识产权宣传周", "2022-04-26"),
        ("demo", "137748件", 137748.0, "全国公示", "2022-08-05"),
    ]
]


class FakeLibrary:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows

    def figures(self, **filters: Any) -> list[dict[str, Any]]:
        return self.rows

    def document(self, doc_id: str) -> None:
        return None


def _tab(rows: list[dict[str, Any]]) -> tuple[gr.Blocks, gr.Radio]:
    with gr.Blocks() as demo:
        lang = gr.Radio(list(CHOICES), value="English")
        figures_tab(FakeLibrary(rows), lang, lambda choice: CHOICES.get(choice or "", "en"))
    return demo, lang


def _handler(demo: gr.Blocks, target: int, event: str):
    config = demo.get_config_file()
    dep = next(d for d in config["dependencies"] if (target, event) in [tuple(t) for t in d["targets"]])
    return demo.fns[dep["id"]].fn, dep


@pytest.mark.parametrize(
    ("choice", "tab", "header", "kind", "empty"),
    [
        ("English", "Figures", "measure", "achieved", "No figures match"),
        ("中文", "数据", "指标", "实际", "没有符合筛选条件"),
        ("繁體", "數據", "指標", "實際", "沒有符合篩選條件"),
    ],
)
def test_switching_the_language_relabels_the_figures_tab(choice, tab, header, kind, empty):
    demo, lang = _tab(ROWS)
    relabel, dep = _handler(demo, lang._id, "change")
    tab_update, place, measure, year, button, table, compare, passage = relabel(choice, ROWS, None)
    assert tab_update["label"] == tab
    assert table["headers"][0] == header and table["data"][0][5] == kind
    assert figure_text(CHOICES[choice])["place"] == place["label"]
    assert {measure["label"], year["label"], button["value"]} <= set(figure_text(CHOICES[choice]).values())
    assert "13.8万件" in compare and "137748件" in compare  # differing figures side by side
    assert figure_text(CHOICES[choice])["choose"] in passage
    assert empty in compare_html([], figure_text(CHOICES[choice]))
    # The switch drives the whole tab: its name, filters, button, table, comparison and passage.
    assert len(dep["outputs"]) == 8


def test_filtering_answers_in_the_switchs_language():
    demo, _ = _tab([])
    config = demo.get_config_file()
    button = next(c["id"] for c in config["components"] if c["props"].get("elem_id") == "ipa-fig-filter")
    refresh, _ = _handler(demo, button, "click")
    rows, chosen, table, compare, passage = refresh("", "", "", "中文")
    assert rows == [] and chosen is None
    assert table["headers"][:3] == ["指标", "地点", "年份"]
    assert "没有符合筛选条件的数字" in compare
    assert "点选一行" in passage


def test_differing_figures_of_one_measure_stand_side_by_side_with_dates_and_sources():
    shown = compare_html(ROWS, figure_text("en"))
    assert shown.count("<table>") == 1
    for part in ("13.8万件", "137748件", "知识产权宣传周", "全国公示", "2022-04-26", "2022-08-05", "2021"):
        assert part in shown
