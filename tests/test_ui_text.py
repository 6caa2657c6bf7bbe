"""The chat's Traditional Chinese texts are read from the Simplified ones through the project's
OpenCC converter (index.normalize.to_traditional, s2t), with the documented word overrides; the
browser's language chooses Simplified or Traditional."""

from __future__ import annotations

import pytest

from assistant.render.ui_text import (
    ANSWER_LANGUAGE,
    LANGUAGES,
    TEXT,
    TRADITIONAL_OVERRIDES,
    language_from_header,
    traditional,
)
from assistant.server.web.figures import FIGURE_TEXT, figure_text
from index.normalize import to_simplified, to_traditional


def test_every_ui_text_has_a_traditional_value_that_differs_where_opencc_changes_it():
    simplified, hant = TEXT["zh"], TEXT["zh-Hant"]
    assert set(hant) == set(simplified) == set(TEXT["en"])
    changed = [key for key, text in simplified.items() if to_traditional(text) != text]
    assert len(changed) > len(simplified) // 2  # most of the texts hold a character s2t changes
    for key in changed:
        assert hant[key] != simplified[key], key
    for key, text in hant.items():
        assert text, key
        assert to_simplified(text) == to_simplified(simplified[key]) or any(
            right in text for right in TRADITIONAL_OVERRIDES.values()
        ), key  # the same words, only their script (or an override) differs
    assert hant["chat_tab"] == "問答" and hant["docs_tab"] == "文檔" and hant["sources"] == "來源"


def test_overrides_fix_words_that_s2t_renders_wrongly_and_nothing_else():
    for wrong, right in TRADITIONAL_OVERRIDES.items():
        assert to_traditional(to_simplified(wrong)) == wrong  # s2t does produce the wrong word
        assert wrong != right
    assert TEXT["zh-Hant"]["logout"] == "登出" and TEXT["zh-Hant"]["chars"] == "字元"
    assert traditional({"a": "语言", "b": "Ask"}) == {"a": "語言", "b": "Ask"}


def test_the_figures_tab_reads_its_traditional_words_the_same_way():
    assert figure_text("zh-Hant") == traditional(FIGURE_TEXT["zh"])
    assert figure_text("zh-TW") == figure_text("zh-HK") == figure_text("zh-Hant")
    assert figure_text("zh-Hant")["tab"] == "數據"


def test_the_language_switch_offers_traditional_chinese():
    assert LANGUAGES["繁體中文"] == "zh-Hant"
    assert set(LANGUAGES.values()) == set(TEXT) == set(ANSWER_LANGUAGE)
    assert ANSWER_LANGUAGE == {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO,en;q=0.5", "zh-Hant"),
        ("zh-Hant-CN", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("fr-FR,zh-TW;q=0.5", "zh-Hant"),
        ("zh-Hans-HK", "zh"),
        ("zh-CN,zh-TW;q=0.9", "zh"),
        ("zh-SG", "zh"),
        ("zh", "zh"),
        ("en-US,zh-TW;q=0.5", "en"),
        ("", "en"),
    ],
)
def test_the_browser_language_chooses_simplified_or_traditional(header: str, code: str):
    assert language_from_header(header) == code


@pytest.mark.parametrize("language", ["zh-Hans", "zh-Hant", "en"])
def test_an_answers_language_reads_the_chats_texts(language: str):
    from assistant.render.ui_text import answer_text

    page = {answer: page for page, answer in ANSWER_LANGUAGE.items()}[language]
    assert answer_text(language) is TEXT[page]
