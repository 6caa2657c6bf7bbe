"""Headline lines (the title, a 原标题 line, a heading over the paragraph that says it in full) are
no composite answer's evidence (issue 12): the sentence splitter marks them, the candidates of a
composite answer leave them out, and rendering never quotes one."""

from __future__ import annotations

import re
from pathlib import Path

from assistant import Assistant, Settings
from assistant.kinds.parts import Sentence, render
from index.chunking import headline_flags, split_sentences
from index.ingest import ingest

ARTICLE = """原标题:去年长沙每万人有效发明专利拥有量增至80件 长沙加快建设示范区
长沙加快建设知识产权保护示范区
全市每万人有效发明专利拥有量80件
据介绍,2024年,长沙每万人有效发明专利拥有量增至80件,同比增长9%。
计划到2025年
全市专利质押融资登记金额达到60亿元
培育运营中心8个
"""


def _flags(text: str, title: str = "") -> dict[str, bool]:
    spans = split_sentences(text)
    return {
        text[s.start : s.end]: flag for s, flag in zip(spans, headline_flags(text, spans, title), strict=True)
    }


def test_the_splitter_marks_the_title_the_original_headline_and_headings_not_list_items():
    flags = _flags(ARTICLE, title="长沙加快建设知识产权保护示范区")
    assert flags["原标题:去年长沙每万人有效发明专利拥有量增至80件 长沙加快建设示范区"]
    assert flags["长沙加快建设知识产权保护示范区"]  # the title repeated in the body
    assert flags["全市每万人有效发明专利拥有量80件"]  # a heading over the paragraph stating it
    assert not flags["据介绍,2024年,长沙每万人有效发明专利拥有量增至80件,同比增长9%。"]
    assert not flags["全市专利质押融资登记金额达到60亿元"]  # an item of a list without stops
    assert not flags["培育运营中心8个"]


def test_a_long_line_cut_short_is_a_body_sentence_not_a_heading():
    line = "在高新区建设国家知识产权服务业集聚区,成功集聚各类知识产权服务机构102家,打造面积超3000平方米的运营服务平台"
    assert not _flags(f"{line}\n普及知识产权教育,评选33家试点。\n")[line]


def test_rendering_never_quotes_a_headline_line():
    head = Sentence("d", 0, 10, "全市有效发明专利拥有量7.61万件", {}, headline=True)
    body = Sentence("d", 20, 40, "2024年全市有效发明专利拥有量7.61万件。", {})
    answer = render("q", "q", "zh-Hans", ["7.61万件"], [head, body])
    assert [c.quote for c in answer.citations] == [body.text]


def test_a_comparison_cites_the_body_sentences_not_the_headlines(tmp_path: Path):
    other = (
        "原标题:大连每万人口发明专利拥有量突破30件\n"
        "大连每万人口发明专利拥有量突破30件\n"
        "截至2024年底,大连每万人口发明专利拥有量达到30.5件,居东北前列。\n"
    )
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "changsha.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "dalian.txt").write_text(other, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    ingest([folder], settings)
    ans = Assistant(settings).answer("大连和长沙哪个城市每万人发明专利拥有量更高?")
    assert ans.answerable, ans.answer
    quotes = [c.quote for c in ans.citations]
    assert quotes and all(re.search(r"[。！？.]$", q) for q in quotes), quotes
    assert not any(q.startswith("原标题") for q in quotes)
