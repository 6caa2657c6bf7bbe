"""Answer.confidence: set on every answer by the learned selector, refusing below the threshold,
and shown on every surface (CLI, /api/ask, the OpenAI-compatible route, the chat's sources)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.answerers.extractive import ExtractiveAnswerer
from assistant.constants import CANNOT_ANSWER
from assistant.library import Library
from assistant.pipeline import Assistant
from assistant.render.web import sources_html
from assistant.selection.training import choose_threshold, mix_weights
from assistant.server import create_app
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TRADEMARKS = "大连有效商标注册量是多少?"
COMPARISON = "大连和长沙哪个城市每万人发明专利拥有量更高?"


def test_an_answer_carries_its_confidence_and_is_refused_below_the_floor(bundled_settings: Settings):
    free = Assistant(bundled_settings.with_overrides(**{"answer.min_confidence": 0.0})).answer(TRADEMARKS)
    assert free.answerable and 0.0 < free.confidence < 1.0
    strict = bundled_settings.with_overrides(**{"answer.min_confidence": free.confidence + 1e-6})
    refused = Assistant(strict).answer(TRADEMARKS)
    assert not refused.answerable and refused.answer == CANNOT_ANSWER["zh-Hans"]
    assert refused.related, "a refusal still lists the closest passages"
    assert refused.confidence == pytest.approx(free.confidence)
    assert any("withheld" in note for note in refused.notes)


def test_the_floor_is_the_setting(bundled_settings: Settings):
    assert Assistant(bundled_settings).extractive.judging.floor == Settings().answer.min_confidence
    other = Assistant(bundled_settings.with_overrides(**{"answer.min_confidence": 0.3})).extractive.judging
    assert other.floor == 0.3


def test_a_composite_answer_is_as_sure_as_its_least_sure_part(
    bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    parts: list[float] = []
    single = ExtractiveAnswerer.single

    def spy(self, question, passages, gate=True, body=False, **more):  # type: ignore[no-untyped-def]
        out = single(self, question, passages, gate, body, **more)
        if not gate:
            parts.append(out.confidence)
        return out

    monkeypatch.setattr(ExtractiveAnswerer, "single", spy)
    ans = Assistant(bundled_settings).answer(COMPARISON)
    assert ans.answerable and parts, "the comparison is composed from single-fact parts"
    assert ans.confidence == min(parts)


def test_input_errors_have_no_confidence(bundled_settings: Settings):
    assert Assistant(bundled_settings).answer("   ").confidence == 0.0


def test_cli_shows_the_confidence(bundled_settings: Settings):
    env = {**os.environ, "IP_ASSISTANT_DATA_DIR": str(bundled_settings.data_dir), "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "assistant.cli", "ask"]
    plain = subprocess.run([*run, TRADEMARKS], capture_output=True, text=True, env=env, cwd=ROOT, timeout=240)
    listed = json.loads(
        subprocess.run(
            [*run, "--json", TRADEMARKS], capture_output=True, text=True, env=env, cwd=ROOT, timeout=240
        ).stdout
    )
    assert 0.0 < listed["confidence"] <= 1.0
    assert f"置信度: {listed['confidence']:.2f}" in plain.stdout


def test_api_answers_carry_the_confidence(bundled_settings: Settings):
    with TestClient(create_app(bundled_settings, ui=False), base_url="http://127.0.0.1") as client:
        ask = client.post("/api/ask", json={"question": TRADEMARKS}).json()
        assert ask["answerable"] and 0.0 < ask["confidence"] <= 1.0
        chat = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": TRADEMARKS}]}
        )
        assert chat.json()["confidence"] == ask["confidence"]
        with client.stream(
            "POST",
            "/v1/chat/completions",
            json={"stream": True, "messages": [{"role": "user", "content": TRADEMARKS}]},
        ) as r:
            events = [b[len("data: ") :] for b in r.read().decode().strip().split("\n\n")]
        last = json.loads(events[-2])
        assert last["choices"][0]["finish_reason"] == "stop" and last["confidence"] == ask["confidence"]


def test_the_chat_shows_the_confidence_with_the_sources(bundled_settings: Settings):
    assistant = Assistant(bundled_settings)
    ans = assistant.answer(TRADEMARKS)
    page = sources_html(ans, Library(assistant), "zh")
    assert f"<p class='ipa-confidence'>置信度: {ans.confidence:.2f}</p>" in page
    strict = Assistant(bundled_settings.with_overrides(**{"answer.min_confidence": ans.confidence + 1e-6}))
    refused = strict.answer(TRADEMARKS)
    assert not refused.answerable
    assert f"Confidence: {refused.confidence:.2f}" in sources_html(refused, Library(strict), "en")


def test_threshold_is_chosen_for_a_mix_of_mostly_answerable_questions():
    from assistant.selection.dataset import Asked, Example

    def ex(group: str, answerable: bool) -> Example:
        docs = frozenset(["d"]) if answerable else frozenset()
        a = Asked("q", "q", group, docs, ())
        z = np.zeros(1)
        return Example(a, z, z, z, z, z, z, z, np.asarray([-1, 0, 0, 0]))

    examples = [ex("cmrc:a", True)] * 2 + [ex("cmrc:b", False)] * 8
    w = mix_weights(examples, 0.9)
    assert w[:2].sum() / w.sum() == pytest.approx(0.9)
    # Unanswerable questions answered wrongly weigh less in a mostly answerable mix.
    confidence = np.asarray([0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.1, 0.1, 0.1, 0.1])
    right = np.asarray([1, 1, 0, 0, 0, 0, 0, 0, 0, 0], dtype=bool)
    assert choose_threshold(confidence, right, 0.93) == 0.9
    assert choose_threshold(confidence, right, 0.93, w) == 0.8


def test_a_generated_answer_carries_the_confidence_of_the_extractive_one(bundled_settings: Settings):
    from tests.openai_server import OpenAIServer, Reply
    from tests.test_llm import QUESTION, llm_settings, pledge_sentence

    server = OpenAIServer().start()
    try:
        server.queue(Reply(pledge_sentence))
        generated = Assistant(llm_settings(bundled_settings, server.base_url)).answer(QUESTION)
    finally:
        server.stop()
    extractive = Assistant(bundled_settings.with_overrides(**{"answer.min_confidence": 0.0})).answer(QUESTION)
    assert generated.answerable and generated.generator == "llm:test-model"
    assert generated.confidence == extractive.confidence > 0.0
