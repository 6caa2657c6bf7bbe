"""What the web chat renders: article and answer text stays text (no tags, no Markdown images)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from assistant.library import Library
from assistant.models import Answer, Citation
from assistant.pipeline import Assistant
from assistant.render.text import answer_of_reply, reply_text
from assistant.render.ui_text import language_from_header
from assistant.render.web import answer_markdown, md_text, sources_html
from assistant.settings import Settings

EVIL = (
    "<script>alert(1)</script><img src=x onerror=alert(2)> ![t](http://evil.example/x.png) [a](javascript:x)"
)


def test_markdown_marks_and_tags_are_escaped():
    shown = md_text(EVIL + "\n- item\n1. first\n# heading")
    assert "<" not in shown.replace("](<http://evil.example/x.png>)", "") and "![" not in shown
    rendered = MarkdownIt("commonmark").render(shown)
    assert (
        "<img" not in rendered
        and "<script" not in rendered
        and "javascript:" not in rendered.split('"')[1::2]
    )
    assert "\n\\- item" in shown and "\n1\\. first" in shown and "\n\\# heading" in shown
    assert md_text("2.03万件 [1]") == "2.03万件 \\[1\\]"


@pytest.mark.parametrize(
    ("text", "href", "after"),
    [
        (
            "详见网站(https://scjgj.yingkou.gov.cn/zscq/2024.html)。",
            "https://scjgj.yingkou.gov.cn/zscq/2024.html",
            ")。",
        ),
        (
            "see https://en.wikipedia.org/wiki/IP_(law). More",
            "https://en.wikipedia.org/wiki/IP_(law)",
            ". More",
        ),
        ("portal www.dl.gov.cn, in English", "http://www.dl.gov.cn", ", in English"),
        ("![pixel](http://evil.example/pixel.png)", "http://evil.example/pixel.png", ")"),
    ],
)
def test_web_addresses_become_links_without_a_stray_backslash(text: str, href: str, after: str):
    rendered = MarkdownIt("commonmark").render(md_text(text))
    shown = href.removeprefix("http://") if "www." in href else href
    assert f'<a href="{href}">{shown}</a>{after}' in rendered
    assert "\\" not in rendered and "<img" not in rendered


def test_sources_panel_escapes_article_text_and_highlights_the_quote(bundled_settings: Settings):
    library = Library(Assistant(bundled_settings))
    ans = Assistant(bundled_settings).answer("大连有效商标注册量是多少?")
    page = sources_html(ans, library, "zh")
    first = ans.citations[0]
    assert f"<mark>{first.quote}</mark>" in page and "来源" in page
    evil = Citation(n=1, doc_id="gone", title=EVIL, quote=EVIL, start=0, end=len(EVIL))
    page = sources_html(
        Answer(question="q", answer=EVIL, answerable=True, language="en", citations=[evil]), library, "en"
    )
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page


def test_searched_question_is_shown_when_it_differs():
    ans = Answer(
        question="那长沙呢?",
        searched_question="长沙有效商标注册量是多少?",
        answer="x",
        answerable=False,
        language="zh-Hans",
    )
    assert "长沙有效商标注册量是多少?" in answer_markdown(ans, "zh")
    same = ans.model_copy(update={"searched_question": "那长沙呢?"})
    assert "实际检索" not in answer_markdown(same, "zh")


def test_ui_language_follows_the_browser():
    assert language_from_header("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert language_from_header("en-US,en;q=0.9") == "en"
    assert language_from_header("fr-FR,zh-CN;q=0.5") == "zh"
    assert language_from_header("") == "en"


def test_a_reply_read_back_as_history_is_its_answer_alone():
    cited = Citation(n=1, doc_id="d1", title="T", quote="大连 2.03万件", start=0, end=9)
    for language, head in (("zh-Hans", "来源："), ("en", "Sources:")):
        ans = Answer(
            question="q", answer="2.03万件 [1]", answerable=True, language=language, citations=[cited]
        )
        reply = reply_text(ans)
        assert head in reply and "“大连 2.03万件”" in reply
        assert answer_of_reply(reply) == ans.answer
