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


def test_held_out_question_sets_keep_their_figures(assistant: Assistant):
    """Fresh questions written before looking at how the system handles them (docs/evaluation.md has
    their first-run figures); held at what the general fixes reached, with room for one slip."""
    _, _, scores = _run(assistant, "heldout.jsonl")
    assert scores["hit@1"] >= 0.97, scores
    assert scores["fact"] >= 0.95, scores
    assert scores["unanswerable_refused"] == 1.0, scores
    assert scores["false_refusals"] <= 1, scores
    _, _, scores = _run(assistant, "heldout2.jsonl")
    assert scores["hit@1"] >= 0.95, scores
    assert scores["fact"] >= 0.95, scores
    assert scores["unanswerable_refused"] == 1.0, scores
    assert scores["false_refusals"] == 0, scores


def test_cross_language_held_out_sets_keep_their_figures(assistant: Assistant):
    """heldout3 (40, written before the general dictionary) and heldout4 (25, written after it):
    many English questions about facts only Chinese articles state and the reverse. Held at what
    the general fixes reached, with room for one slip."""
    _, _, scores = _run(assistant, "heldout3.jsonl")
    assert scores["hit@1"] >= 0.91, scores
    assert scores["fact"] >= 0.91, scores
    assert scores["unanswerable_refused"] == 1.0, scores
    assert scores["false_refusals"] <= 2, scores
    _, _, scores = _run(assistant, "heldout4.jsonl")
    assert scores["hit@1"] >= 0.86, scores
    assert scores["fact"] >= 0.86, scores
    assert scores["unanswerable_refused"] == 1.0, scores
    assert scores["false_refusals"] <= 3, scores


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
