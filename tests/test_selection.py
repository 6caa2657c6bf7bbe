"""The answer selector: its training pipeline end to end on small excerpts, and its parts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.cli import main
from assistant.selection.model import Calibration, Selector, load_selector
from assistant.selection.training import answerable_confidence, choose_threshold, folds_of, thresholds

DATA = Path(__file__).parent / "data"


def test_calibration_is_monotone_and_matches_shares():
    raw = np.asarray([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    right = np.asarray([0, 1, 0, 0, 1, 1])
    cal = Calibration.fit(raw, right)
    out = cal.apply(np.linspace(0, 1, 50))
    assert np.all(np.diff(out) >= 0)
    assert cal.apply(np.asarray([0.6]))[0] == 1.0
    assert cal.apply(np.asarray([0.1]))[0] == 0.0


def test_threshold_keeps_answers_right_at_the_precision_asked():
    confidence = np.asarray([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5])
    right = np.asarray([1, 1, 1, 1, 0, 1, 0], dtype=bool)
    assert choose_threshold(confidence, right, 0.95) == 0.8
    assert choose_threshold(confidence, right, 0.8) == 0.6
    assert choose_threshold(confidence, np.zeros(7, dtype=bool), 0.95) > 0.95
    # Answers of one confidence are all given or all refused: a tie is not split.
    tied = np.asarray([0.9, 0.5, 0.5, 0.5])
    assert choose_threshold(tied, np.asarray([1, 1, 0, 0], dtype=bool), 0.95) == 0.9


def test_the_rankers_answer_stands_in_for_a_rules_refusal_only_when_it_is_surer():
    confidence = np.asarray([0.9, 0.7, 0.6, 0.95, 0.8, 0.6])
    right = np.asarray([1, 1, 0, 1, 0, 1], dtype=bool)
    by_rules = np.asarray([1, 1, 1, 0, 0, 0], dtype=bool)
    rescue, threshold = thresholds(confidence, right, by_rules, np.ones(6), 0.75)
    assert rescue == 0.95  # the ranker's answers alone are right 3/4 of the time only from there
    assert threshold == 0.6  # all given: 0.9, 0.7, 0.6 and the rescued 0.95, right 3 in 4
    given = answerable_confidence(confidence, by_rules, rescue) >= threshold
    assert given.tolist() == [True, True, True, True, False, False]


def test_folds_never_split_an_article():
    groups = [f"a{i % 7}" for i in range(40)]
    folds = folds_of(groups, seed=3)
    for g in set(groups):
        assert len({f for f, h in zip(folds, groups, strict=True) if h == g}) == 1
    assert len(set(folds.tolist())) == 5


@pytest.mark.slow
def test_train_command_builds_a_model_that_loads_and_is_reproducible(tmp_path: Path, capsys):
    args = ["train", "--cmrc", str(DATA / "cmrc_sample.json"), "--drcd", str(DATA / "drcd_sample.json")]
    args += ["--cache", str(tmp_path / "cache")]
    assert main([*args, "--out", str(tmp_path / "a.json")]) == 0
    printed = capsys.readouterr().out
    assert "| cmrc |" in printed and "| drcd |" in printed and "threshold" in printed
    assert main([*args, "--out", str(tmp_path / "b.json")]) == 0  # examples from the cache this time
    a, b = (tmp_path / "a.json").read_text(), (tmp_path / "b.json").read_text()
    assert a == b  # seeded: the same data gives the same model
    selector = Selector.load(tmp_path / "a.json")
    meta = json.loads(a)["meta"]
    assert meta["validation"]["cmrc"]["answerable"] == 20
    assert meta["validation"]["drcd"]["unanswerable"] == 18
    assert meta["rescue"] >= 0.0 and meta["validation"]["all"]["rules_containment"] > 0.5
    refused = [row["false_refusals"] for row in meta["validation"]["thresholds"]]
    assert refused == sorted(refused)  # a higher threshold never refuses fewer answerable questions
    rows = np.zeros((3, selector.ranker.num_feature()))
    assert selector.rank(rows).shape == (3,)
    conf = selector.confidence(np.zeros((2, selector.classifier.num_feature())))
    assert np.all((conf >= 0) & (conf <= 1))


def test_shipped_selector_loads():
    selector = load_selector()
    assert 0.0 < selector.threshold <= 1.0
    # Validated (out of fold, held-out articles) in the mix of mostly answerable questions it was
    # chosen for: the answers given at the threshold are right at least 95 % of the time.
    assert selector.meta["validation"]["all"]["answered_right_mix"] >= 0.95


def test_bundled_questions_are_asked_again_without_their_articles(tmp_path: Path):
    from assistant.selection.dataset import domain_questions

    (tmp_path / "a.txt").write_text("大连有效商标注册量137748件。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("截至2021年底,有效商标注册量137748件。", encoding="utf-8")
    (tmp_path / "c.txt").write_text("大连专利授权总量23508件。", encoding="utf-8")
    rows = [
        {"id": "q1", "question": "大连有效商标注册量?", "expect_docs": ["a"], "expect_any": ["137748"]},
        {"id": "q2", "question": "大连专利授权总量?", "expect_docs": ["c"], "expect_any": ["23508"]},
        {"id": "q3", "question": "大连人口?", "answerable": False, "expect_docs": [], "expect_any": []},
    ]
    questions = tmp_path / "set.jsonl"
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    asked = {a.qid: a for a in domain_questions([questions], tmp_path)}
    assert {q for q in asked if not q.endswith("≈") and "⇄" not in q} == {"q1", "q1~", "q2", "q2~", "q3"}
    assert asked["q1~"].removed == {"a"} and asked["q1~"].docs == {"b"}  # b holds the answer too
    assert asked["q2~"].removed == {"c"} and not asked["q2~"].docs  # unanswerable without c
    assert asked["q1~"].group == asked["q1"].group  # one article, one fold
    assert len([a for a in domain_questions([questions]) if a.variant == "domain"]) == 3


def test_bundled_questions_are_also_asked_in_other_words_with_their_answers(tmp_path: Path):
    from assistant.selection.dataset import domain_questions

    rows = [
        {"id": "q1", "question": "大连专利授权总量是多少?", "expect_docs": ["c"], "expect_any": ["23508"]},
        {
            "id": "q2",
            "question": "大连专利授权总量?",
            "answerable": False,
            "expect_docs": [],
            "expect_any": [],
        },
    ]
    questions = tmp_path / "set.jsonl"
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    asked = {a.qid: a for a in domain_questions([questions])}
    other = asked["q1≈"]
    assert other.variant == "domain-reworded" and other.question != asked["q1"].question
    assert (other.docs, other.answers, other.group) == (
        asked["q1"].docs,
        asked["q1"].answers,
        asked["q1"].group,
    )
    assert not asked["q2≈"].docs  # unanswerable in any words


def test_the_domain_weighs_its_share_however_few_its_questions():
    from types import SimpleNamespace

    from assistant.selection.training import DOMAIN_SHARE, source_weights

    groups = ["cmrc:a"] * 90 + ["drcd:b"] * 100 + ["bundled:x"] * 10
    examples = [SimpleNamespace(asked=SimpleNamespace(group=g)) for g in groups]
    w = source_weights(examples)  # type: ignore[arg-type]
    domain = np.asarray([g.startswith("bundled:") for g in groups])
    assert w[domain].sum() / w.sum() == pytest.approx(DOMAIN_SHARE)
    assert w.mean() == pytest.approx(1.0)
    assert np.all(source_weights(examples[:190]) == 1.0)  # without the domain, all alike


def test_the_default_refusal_threshold_is_the_shipped_selectors_validated_domain_floor():
    from assistant.settings import Settings

    floor = load_selector().meta["domain_floor"]
    assert floor - 0.01 < Settings().answer.min_confidence <= floor


def test_bundled_questions_are_asked_of_a_year_and_a_city_no_article_names(tmp_path: Path):
    from assistant.selection.dataset import domain_questions
    from assistant.selection.swapping import absent_cities, absent_years, place_swapped, year_swapped

    (tmp_path / "a.txt").write_text("2021年大连专利授权总量23508件,兰州2020年为9000件。", encoding="utf-8")
    rows = [
        {"id": "q1", "question": "大连2021年专利授权总量?", "expect_docs": ["a"], "expect_any": ["23508"]},
        {
            "id": "q2",
            "question": "How many patents were granted?",
            "expect_docs": ["a"],
            "expect_any": ["23508"],
        },
        {"id": "q3", "question": "大连人口?", "answerable": False, "expect_docs": [], "expect_any": []},
    ]
    questions = tmp_path / "set.jsonl"
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    asked = {a.qid: a for a in domain_questions([questions], tmp_path)}
    assert {q for q in asked if "⇄" in q} == {"q1⇄y", "q1⇄p", "q2⇄y"}  # q2 names no city, q3 is unanswerable
    for q in ("q1⇄y", "q1⇄p", "q2⇄y"):
        assert asked[q].variant == "domain-swapped" and not asked[q].docs and not asked[q].answers
        assert asked[q].group == asked[q[:2]].group  # one article, one fold
    year = asked["q1⇄y"].question
    assert "2021" not in year and "2020" not in year and "大连" in year and "专利授权总量" in year
    city = asked["q1⇄p"].question
    assert "大连" not in city and "兰州" not in city and "2021年专利授权总量" in city  # 兰州: named by a.txt
    assert asked["q2⇄y"].question.startswith("how many patents were granted in 20")
    texts = ["2021年大连专利授权总量"]
    assert place_swapped("专利授权总量?", "k", absent_cities(texts)) is None
    assert year_swapped("专利授权总量?", "k", absent_years(texts)) != year_swapped("专利授权总量?", "k", [])
    assert year_swapped("专利授权总量?", "k", []) is None


def test_the_judge_sees_whether_the_city_asked_is_named_around_the_sentence():
    from assistant.selection.places import asked_places, named_text, unnamed

    assert asked_places("唐山有多少家知识产权创新创业基地?") == [("唐山", "tangshan")]
    assert asked_places("what iso certificate did a taiyuan company obtain?") == [("太原", "taiyuan")]
    assert asked_places("法国大革命发生在哪一年?") == []  # a country is not a city
    dalian = named_text(["全市专利授权总量23508件。"], {"title": "大连上榜示范城", "region": "大连"})
    assert unnamed(asked_places("大连专利授权总量是多少?"), dalian) == 0.0  # the document's place
    assert unnamed(asked_places("唐山专利授权总量是多少?"), dalian) == 1.0
    english = named_text(["a total of 23508 patents were granted in dalian."], {})
    assert unnamed(asked_places("大连专利授权总量是多少?"), english) == 0.0  # named in English


def test_the_domain_floor_may_withhold_one_right_answer_not_two():
    from types import SimpleNamespace

    from assistant.selection.training import domain_floor

    def asked(variant: str, docs: frozenset[str]) -> SimpleNamespace:
        return SimpleNamespace(asked=SimpleNamespace(variant=variant, docs=docs))

    examples = [asked("domain", frozenset({"a"}))] * 4 + [asked("domain-swapped", frozenset())]
    decisive = np.asarray([0.02, 0.3, 0.06, 0.9, 0.01])
    right = np.asarray([True, True, True, False, False])
    assert domain_floor(examples, decisive, right, slack=0) == 0.02  # type: ignore[arg-type]
    assert domain_floor(examples, decisive, right) == 0.06  # type: ignore[arg-type]
    assert domain_floor(examples[:1], decisive[:1], right[:1]) == 0.02  # type: ignore[arg-type]
