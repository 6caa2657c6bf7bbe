"""Prompts are files in prompts/, checked against the variables the code passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answerers.llm.prompts import LANGUAGES, VARIABLES, PromptError, default_folder, load_prompts
from assistant.constants import CANNOT_ANSWER_PHRASE

ROOT = Path(__file__).resolve().parents[1]


def test_prompts_are_files_in_the_repository():
    assert default_folder() == ROOT / "prompts"
    for name in VARIABLES:
        for lang in LANGUAGES:
            assert (ROOT / "prompts" / f"{name}.{lang}.txt").is_file()


def test_shipped_prompts_load_and_use_the_shared_cannot_answer_phrase():
    prompts = load_prompts()
    for language in ("zh-Hans", "zh-Hant", "en"):
        template = prompts.get("answer", language)
        # the phrase comes from the constant, never copied into a template
        assert CANNOT_ANSWER_PHRASE not in template.system + template.user
        system, user = template.render(
            passages='<passage n="1">x</passage>', question="Q?", cannot_answer=CANNOT_ANSWER_PHRASE
        )
        assert CANNOT_ANSWER_PHRASE in system and CANNOT_ANSWER_PHRASE in user
        assert "[1]" in system and '<passage n="1">x</passage>' in user and "Q?" in user
    assert prompts.get("answer", "zh-Hant").path.name == "answer.zh.txt"
    assert prompts.get("condense", "en").path.name == "condense.en.txt"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", folder)
    return folder


def test_template_with_an_unexpected_variable_fails_naming_it(tmp_path: Path):
    folder = _copy(tmp_path)
    path = folder / "answer.en.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nAnswer for {audience}.\n", encoding="utf-8")
    with pytest.raises(PromptError, match="unexpected variables: audience") as info:
        load_prompts(folder)
    assert info.value.unexpected == {"audience"} and not info.value.missing
    assert info.value.path == path


def test_template_missing_a_variable_fails_naming_it(tmp_path: Path):
    folder = _copy(tmp_path)
    path = folder / "condense.zh.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("{history}", "（略）"), encoding="utf-8")
    with pytest.raises(PromptError, match="missing variables: history") as info:
        load_prompts(folder)
    assert info.value.missing == {"history"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[user]\n{passages} {question} {cannot_answer}\n", "one \\[system\\] and one \\[user\\] section"),
        ("[system]\nx {\n[user]\n{passages} {question} {cannot_answer}\n", "literal braces"),
        ("[system]\n{question!r}\n[user]\n{passages} {cannot_answer}\n", "plain name"),
    ],
)
def test_malformed_templates_fail_loudly(tmp_path: Path, text: str, message: str):
    folder = _copy(tmp_path)
    (folder / "answer.zh.txt").write_text(text, encoding="utf-8")
    with pytest.raises(PromptError, match=message):
        load_prompts(folder)


def test_missing_template_fails(tmp_path: Path):
    folder = _copy(tmp_path)
    (folder / "answer.zh.txt").unlink()
    with pytest.raises(PromptError, match="not found"):
        load_prompts(folder)


def test_render_refuses_variables_the_template_does_not_declare():
    template = load_prompts().get("condense", "en")
    with pytest.raises(PromptError, match="other variables") as info:
        template.render(question="q", history="h", extra="x")
    assert info.value.unexpected == {"extra"}


def test_assistant_with_a_bad_template_fails_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled_settings
):
    from assistant import Assistant
    from assistant.answerers.llm import prompts

    folder = _copy(tmp_path)
    path = folder / "answer.zh.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("{question}", "{query}"), encoding="utf-8")
    monkeypatch.setattr(prompts, "default_folder", lambda: folder)
    settings = bundled_settings.with_overrides(
        **{"llm.backend": "openai", "llm.model": "m", "llm.base_url": "http://127.0.0.1:1/v1"}
    )
    with pytest.raises(PromptError, match="missing variables: question; unexpected variables: query"):
        Assistant(settings)
