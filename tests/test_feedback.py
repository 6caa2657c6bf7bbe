"""The feedback store: ratings with their answer and citations, comments, JSONL export."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from assistant.feedback import FeedbackStore

ANSWER = {
    "question": "大连有效商标注册量是多少?",
    "searched_question": "大连有效商标注册量是多少?",
    "answer": "有效商标注册量为13.8万件 [1]",
    "answerable": True,
    "citations": [{"n": 1, "doc_id": "dalian-ip-week-2022", "quote": "有效商标注册量为13.8万件"}],
}


def test_rating_and_comment_are_exported_with_the_answer(tmp_path: Path):
    store = FeedbackStore.in_data_dir(tmp_path)
    row = store.add(-1, ANSWER, user="alice")
    assert store.set_comment(row, "missing the year")
    assert not store.set_comment(row + 100, "no such row")
    out = io.StringIO()
    assert store.export_jsonl(out) == 1
    item = json.loads(out.getvalue())
    assert item["rating"] == -1 and item["comment"] == "missing the year" and item["user"] == "alice"
    assert item["question"] == ANSWER["question"] and item["citations"] == ANSWER["citations"]
    assert item["answerable"] is True and item["created"].endswith("Z")


def test_rating_must_be_up_or_down(tmp_path: Path):
    store = FeedbackStore.in_data_dir(tmp_path)
    with pytest.raises(ValueError):
        store.add(3, ANSWER)
    assert list(store.rows()) == []


def test_rows_survive_reopening(tmp_path: Path):
    FeedbackStore.in_data_dir(tmp_path).add(1, ANSWER)
    assert [r["rating"] for r in FeedbackStore.in_data_dir(tmp_path).rows()] == [1]
