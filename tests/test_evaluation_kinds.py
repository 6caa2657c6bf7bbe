"""The kinds scorer (issue 12) on hand-made answers: no index, no retrieval."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluation import load_questions as load
from assistant.evaluation_kinds import (
    KINDS,
    computed_pieces,
    format_table,
    normalise,
    polarity,
    score_answer,
    score_run,
    summarise,
)
from assistant.models import Answer, Citation

ROOT = Path(__file__).resolve().parents[1]
KINDS_SET = ROOT / "tests" / "kinds.jsonl"
ARTICLES = ROOT / "docs" / "articles"


def _cite(
    n: int, quote: str, doc: str = "changsha-ip-2025", figures: list[str] | None = None, title: str = ""
) -> Citation:
    return Citation(n=n, doc_id=doc, title=title, quote=quote, start=0, end=len(quote), figures=figures or [])


def _answer(
    text: str, *citations: Citation, answerable: bool = True, notes: list[str] | None = None
) -> Answer:
    return Answer(
        question="q",
        answer=text,
        answerable=answerable,
        language="zh-Hans",
        citations=list(citations),
        notes=notes or [],
    )


COMPARE = {
    "id": "c1",
    "kind": "comparison",
    "answerable": True,
    "expect_docs": ["changsha-ip-2025", "dalian-demo-city-2022"],
    "expect_all": [["72.42"], ["29.4", "27.26"], ["长沙", "changsha"]],
}
SUM = {"id": "a1", "kind": "aggregate", "answerable": True, "expect_docs": ["d"], "expect_all": [["186"]]}
YESNO = {
    "id": "y1",
    "kind": "yesno",
    "answerable": True,
    "expect_docs": ["changsha-ip-2025"],
    "expect_all": [["72.42"]],
    "expect_polarity": "no",
}
NONE = {"id": "u1", "kind": "list", "answerable": False, "expect_docs": [], "expect_all": []}


def test_normalise_follows_the_fact_rule() -> None:
    assert normalise("長沙 7.61萬件, 1,495 Million") == "长沙7.61万件1495million"


def test_a_comparison_with_both_figures_quoted_is_right() -> None:
    answer = _answer(
        "長沙 72.42件 > 大连 29.4件",
        _cite(1, "長沙每萬人有效發明專利擁有量72.42件"),
        _cite(2, "全市每万人口发明专利拥有量29.4件", "dalian-demo-city-2022"),
    )
    score = score_answer(COMPARE, answer)
    assert (score.items, score.present, score.cited) == (3, 3, 3)
    assert score.right


def test_a_missing_side_counts_as_a_share_and_is_not_right() -> None:
    answer = _answer("长沙 72.42件", _cite(1, "長沙每萬人有效發明專利擁有量72.42件"))
    score = score_answer(COMPARE, answer)
    assert (score.present, score.cited) == (2, 2)
    assert not score.right
    assert summarise([score])["comparison"]["item_share"] == pytest.approx(0.667)


def test_a_place_named_only_in_the_cited_documents_title_is_cited() -> None:
    quote = "全市有效發明專利擁有量7.61萬件、每萬人有效發明專利擁有量72.42件"
    answer = _answer(
        "長沙 72.42件 > 大连 29.4件",
        _cite(1, quote, title="去年長沙每萬人有效發明專利擁有量增至72.42件"),
        _cite(2, "全市每万人口发明专利拥有量29.4件", "dalian-demo-city-2022"),
    )
    assert score_answer(COMPARE, answer).right
    untitled = _answer(answer.answer, _cite(1, quote), answer.citations[1])
    assert score_answer(COMPARE, untitled).cited == 2


def test_an_item_in_the_answer_but_in_no_quote_is_not_cited() -> None:
    answer = _answer("长沙 72.42件 > 大连 29.4件", _cite(1, "長沙每萬人有效發明專利擁有量72.42件"))
    score = score_answer(COMPARE, answer)
    assert score.present == 3 and score.cited == 2
    assert not score.right


def test_english_figure_readings_of_a_citation_count_as_cited() -> None:
    item = {**SUM, "expect_all": [["1.495billion", "14.95亿"]]}
    answer = _answer(
        "1.495 billion yuan in 2021", _cite(1, "质押贷款实现14.95亿元", figures=["1.495 billion yuan"])
    )
    assert score_answer(item, answer).right


def test_a_computed_sum_counts_as_cited_only_when_marked() -> None:
    quotes = _cite(1, "国家知识产权示范优势企业86家,省知识产权优势企业100家")
    unmarked = _answer("共186家。", quotes)
    marked = _answer("86 + 100 = 186家(计算得出)。", quotes)
    english = _answer("In total 186 (computed from the figures below).", quotes)
    noted = _answer("共186家。", quotes, notes=["computed: 86 + 100 = 186"])
    assert not score_answer(SUM, unmarked).right
    assert score_answer(SUM, unmarked).present == 1
    assert score_answer(SUM, marked).right
    assert score_answer(SUM, english).right
    assert score_answer(SUM, noted).right


def test_a_computed_mark_covers_its_own_sentence_only() -> None:
    answer = _answer("合计186家。差值为14(计算)。")
    assert computed_pieces(answer) == ["差值为14(计算)"]
    assert score_answer(SUM, answer).cited == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("否 (No)。长沙为72.42件。", "no"),
        ("不是,长沙为72.42件。", "no"),
        ("No. It was 72.42.", "no"),
        ("是 (Yes)。", "yes"),
        ("**是的**,大连是唯一入选城市。", "yes"),
        ("Yes, 1.495 billion yuan.", "yes"),
        ("長沙2024年為72.42件。", None),
    ],
)
def test_polarity_reads_the_start_of_the_answer(text: str, expected: str | None) -> None:
    assert polarity(text) == expected


def test_yes_no_needs_the_right_polarity() -> None:
    quote = _cite(1, "每萬人有效發明專利擁有量72.42件")
    assert score_answer(YESNO, _answer("否 (No)。72.42件。", quote)).right
    wrong = score_answer(YESNO, _answer("是 (Yes)。72.42件。", quote))
    assert wrong.polarity_ok is False and not wrong.right
    assert not score_answer(YESNO, _answer("72.42件。", quote)).right


def test_refusals() -> None:
    refusal = _answer("The articles do not say.", answerable=False)
    assert score_answer(NONE, refusal).right
    assert not score_answer(NONE, _answer("铁拳、剑网", _cite(1, "铁拳剑网"))).right
    wrongly = score_answer(COMPARE, _answer("72.42 29.4 长沙", _cite(1, "72.42 29.4 长沙"), answerable=False))
    assert wrongly.refused and wrongly.present == 0 and not wrongly.right
    figures = summarise([wrongly, score_answer(NONE, refusal)])
    assert figures["comparison"]["false_refusals"] == 1
    assert figures["list"]["refused"] == "1 / 1"
    assert figures["all"]["right"] == 0.5


def test_the_table_has_a_row_per_kind_and_all() -> None:
    scores = [
        score_answer(SUM, _answer("共186家(计算)。")),
        score_answer(NONE, _answer("x", answerable=False)),
    ]
    table = format_table(summarise(scores)).splitlines()
    assert [row.split("|")[1].strip() for row in table[2:]] == ["list", "aggregate", "all"]


def test_the_kinds_set_is_well_formed() -> None:
    records = load(KINDS_SET)
    assert len({r["id"] for r in records}) == len(records)
    for kind in KINDS:
        mine = [r for r in records if r["kind"] == kind]
        assert len(mine) >= 10, kind
        assert 2 <= sum(not r["answerable"] for r in mine) <= 3, kind
    for r in records:
        assert set(r) >= {"id", "kind", "question", "answerable", "expect_docs", "expect_all", "note"}
        assert bool(r["expect_all"]) == r["answerable"] == bool(r["expect_docs"]), r["id"]
        if r["kind"] == "yesno":
            assert r["expect_polarity"] in (("yes", "no") if r["answerable"] else (None,)), r["id"]


def test_every_expected_item_not_computed_is_in_its_articles() -> None:
    texts = {p.stem: normalise(p.read_text(encoding="utf-8")) for p in ARTICLES.glob("*.txt")}
    for r in load(KINDS_SET):
        held = "".join(texts[d] for d in r["expect_docs"])
        for i, alternatives in enumerate(r["expect_all"]):
            if i not in r.get("computed", []):
                assert any(normalise(a) in held for a in alternatives), (r["id"], alternatives)


def test_a_run_lists_the_questions_not_right() -> None:
    answers = [_answer("共186家(计算)。"), _answer("铁拳", _cite(1, "铁拳"))]
    run = score_run([SUM, NONE], answers)
    assert run["failures"] == ["u1"]
    assert run["kinds"]["all"]["right"] == 0.5


def test_the_module_runs_a_kinds_file_and_prints_figures_per_kind(bundled_settings, tmp_path: Path) -> None:
    records = load(KINDS_SET)
    picked = [next(r for r in records if r["kind"] == kind) for kind in KINDS]
    picked.append(next(r for r in records if not r["answerable"]))
    questions = tmp_path / "k.jsonl"
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in picked), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "IP_ASSISTANT_DATA_DIR": str(bundled_settings.data_dir), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant.evaluation_kinds", str(questions), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    scores, end = json.JSONDecoder().raw_decode(done.stdout)
    assert set(scores["kinds"]) == {*KINDS, "all"} and scores["kinds"]["all"]["questions"] == len(picked)
    table = done.stdout[end:].strip().splitlines()
    assert [row.split("|")[1].strip() for row in table[2:]] == [*KINDS, "all"]
    assert len(out.read_text(encoding="utf-8").splitlines()) == len(picked)
