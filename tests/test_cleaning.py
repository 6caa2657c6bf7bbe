"""Page chrome stays out of the chunks; article content, including talk about copyright, stays in."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.chunking import chunk_spans
from index.cleaning import content_spans

ARTICLES = Path(__file__).resolve().parents[1] / "docs" / "articles"

PAGE = """您现在的位置:首页 > 新闻 > 正文
大连市开展知识产权宣传周主题日活动
时间:2022-04-26 11:01:53    来源:中国质量新闻网
未经授权使用他人注册商标的,由市场监管部门依法查处,并追究相关法律责任。
版权所有人可以许可他人使用其作品,网站转载作品应当取得著作权人许可。
Copyright protection covers software, and all rights of the author are protected by law.
加载中...
上一篇:大连召开知识产权工作会议
下一篇:
相关新闻
大连新增3家国家知识产权优势企业
沈阳知识产权保护中心揭牌
本次活动还发布了2021年大连市知识产权保护典型案例,共10件。
凡本网注明“来源:XXX”的作品,均转载自其它媒体,转载目的在于传递更多信息,并不代表本网赞同其观点。
Copyright © 2022 Example News. All rights reserved.
责任编辑:张三
"""


def kept_text(text: str) -> str:
    return "\n".join(text[s.start : s.end] for s in content_spans(text))


def test_chrome_notices_and_related_lists_are_dropped_and_content_kept():
    kept = kept_text(PAGE)
    for chrome in (
        "您现在的位置",
        "加载中",
        "上一篇",
        "下一篇",
        "相关新闻",
        "优势企业",
        "揭牌",
        "凡本网",
        "All rights reserved",
        "责任编辑",
    ):
        assert chrome not in kept, chrome
    for content in (
        "大连市开展知识产权宣传周主题日活动",
        "时间:2022-04-26 11:01:53",
        "未经授权使用他人注册商标的",
        "版权所有人可以许可他人使用其作品",
        "Copyright protection covers software",
        "典型案例,共10件",
    ):
        assert content in kept, content


def test_chunks_of_bundled_articles_hold_no_chrome():
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        chunks = [text[c.start : c.end] for c in chunk_spans(text, content_spans(text))]
        joined = "\n".join(chunks)
        for chrome in (
            "加载中",
            "凡本网",
            "凡本網",
            "相关新闻",
            "上一篇",
            "您现在的位置",
            "滑动浏览",
            "本網將追究",
        ):
            assert chrome not in joined, (path.name, chrome)
        assert len(joined.replace("\n", "")) > 0.7 * len(text.replace("\n", ""))  # content stays


def test_a_related_list_ends_where_prose_starts_again():
    text = "正文第一段。\n相关阅读\n标题一\n标题二\n这一段是正文的继续,讲述专利质押融资的新进展,金额达到14.95亿元。\n"
    kept = kept_text(text)
    assert "标题一" not in kept and "标题二" not in kept
    assert "正文第一段。" in kept and "金额达到14.95亿元" in kept


def test_page_chrome_phrases_come_from_data_files_and_a_bad_one_is_named(monkeypatch):
    from index import wordlists

    assert "版权声明" in wordlists.alternatives("notices").split("|")
    monkeypatch.setattr(wordlists, "_entries", lambda name, package: ["fine", "bad("])
    wordlists.alternatives.cache_clear()
    try:
        with pytest.raises(ValueError, match="entry 2"):
            wordlists.alternatives("notices")
    finally:
        wordlists.alternatives.cache_clear()
