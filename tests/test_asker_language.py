"""A question with no words has no language of its own: what is said about it is in the asker's
language (the client's Accept-Language, the chat page's language), not always in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.constants import EMPTY_QUESTION
from assistant.server import create_app
from assistant.settings import Settings
from assistant.validation import QuestionRejected, valid_question


@pytest.mark.parametrize(
    ("accept", "language"),
    [("en-US,en;q=0.9", "en"), ("zh-CN,zh;q=0.9", "zh-Hans"), ("zh-TW,zh;q=0.9", "zh-Hant"), ("", "en")],
)
def test_api_says_what_is_wrong_with_a_wordless_question_in_the_clients_language(
    tmp_path: Path, accept: str, language: str
):
    app = create_app(Settings(data_dir=tmp_path / "data"), ui=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        headers = {"accept-language": accept} if accept else {}
        for path, body in (
            ("/api/ask", {"question": " "}),
            ("/v1/chat/completions", {"messages": [{"role": "user", "content": "  "}]}),
            ("/v1/chat/completions", {"messages": [{"role": "user", "content": ""}], "stream": True}),
        ):
            reply = client.post(path, json=body, headers=headers)
            assert reply.status_code == 400, (path, reply.text)
            assert reply.json()["error"]["message"] == EMPTY_QUESTION[language], path


def test_a_question_with_words_keeps_its_own_language():
    with pytest.raises(QuestionRejected) as refused:
        valid_question("大连" * 50, 10, "en")
    assert refused.value.language == "zh-Hans"  # too long, told in the question's language
    assert valid_question("How many patents?", 100, "zh-Hans")[1] == "en"
    with pytest.raises(QuestionRejected) as refused:
        valid_question(" ?? ", 100, "en")
    assert refused.value.message == EMPTY_QUESTION["en"]
