"""The question sets run as regression tests at the issue's targets, scored as docs/evaluation.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.evaluation import load_questions, score_dev
from index.store import Store

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def assistant(bundled_index: Path) -> Assistant:
    return Assistant(Settings(data_dir=bundled_index))


def _run(assistant: Assistant, name: str):
    items = load_questions(HERE / name)
    answers = [assistant.answer(item["question"]) for item in items]
    return items, answers, score_dev(items, answers)


def test_dev_set_meets_targets(assistant: Assistant):
    _items, _answers, scores = _run(assistant, "dev.jsonl")
    assert scores["hit@1"] >= 0.95, scores
    assert scores["hit@5"] == 1.0, scores
    assert scores["fact"] >= 0.90, scores
    assert scores["unanswerable_refused"] == 1.0, scores
    assert scores["false_refusals"] == 0, scores


def test_own_question_set_meets_targets(assistant: Assistant):
    """Questions the team wrote about other facts of the same articles (not tuned question by question)."""
    _, _, scores = _run(assistant, "extra.jsonl")
    assert scores["hit@1"] >= 0.90, scores
    assert scores["fact"] >= 0.85, scores
    assert scores["unanswerable_refused"] == 1.0, scores
    assert scores["false_refusals"] <= 1, scores


# Fresh batches written before looking at how the system handles them (docs/evaluation.md has their
# first-run figures), held at what the general fixes reached with room for one slip: heldout and
# heldout2 over all kinds of question, heldout3 (written before the general dictionary) and
# heldout4 (after it) mostly across languages, heldout5 over all kinds again (a third across
# languages). (file, hit@1 and fact at least, false refusals at most, unanswerable refused at least)
HELD_OUT = [
    ("heldout.jsonl", 0.97, 0.95, 1, 1.0),
    ("heldout2.jsonl", 0.95, 0.95, 0, 1.0),
    ("heldout3.jsonl", 0.97, 0.97, 1, 1.0),
    ("heldout4.jsonl", 0.95, 0.95, 1, 1.0),
    ("heldout5.jsonl", 0.82, 0.82, 3, 0.5),
    ("heldout6.jsonl", 0.8, 0.64, 4, 0.6),
]


@pytest.mark.parametrize(("name", "hit1", "fact", "false_refusals", "refused"), HELD_OUT)
def test_held_out_question_sets_keep_their_figures(
    assistant: Assistant, name: str, hit1: float, fact: float, false_refusals: int, refused: float
):
    _, _, scores = _run(assistant, name)
    assert scores["hit@1"] >= hit1, scores
    assert scores["fact"] >= fact, scores
    assert scores["unanswerable_refused"] >= refused, scores
    assert scores["false_refusals"] <= false_refusals, scores


def test_every_quote_is_the_original_text_at_its_offsets(assistant: Assistant):
    items, answers, _ = _run(assistant, "dev.jsonl")
    store = Store(assistant.settings)
    checked = 0
    for ans in answers:
        for citation in ans.citations + ans.related:
            found = store.document(citation.doc_id)
            assert found is not None
            text, _ = found
            assert text[citation.start : citation.end] == citation.quote
            checked += 1
    assert checked >= len(items)


def test_citations_are_numbered_in_order_of_use(assistant: Assistant):
    _, answers, _ = _run(assistant, "dev.jsonl")
    for ans in answers:
        assert [c.n for c in ans.citations] == list(range(1, len(ans.citations) + 1))
        for c in ans.citations:
            assert f"[{c.n}]" in ans.answer
        assert len(ans.answer) <= 600
