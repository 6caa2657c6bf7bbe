"""Single-fact answers over a small collection (issues 11 and 12): the measure asked in other
words than the article's is found, and the answer quotes what was asked and nothing more."""

from __future__ import annotations

import pytest

from assistant import Assistant, Settings
from assistant.evaluation import score_dev
from assistant.models import Answer
from index.ingest import ingest

FINANCE = """某市知识产权金融工作成效显著
在知识产权金融服务方面
探索设立知识产权投资补助资金3000万元,成功引进专利转化项目12个,吸引投资9.5亿元。
联合多家银行成立知识产权金融服务联盟,成员单位达到60家,助力2021年知识产权质押贷款实现12.5亿元。
在专利转化和产业化方面
认定40家知识产权产业化示范单位,实现总产值88.1亿元,助力重点企业上市融资。
"""


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("single")
    folder = root / "articles"
    folder.mkdir()
    (folder / "finance.txt").write_text(FINANCE, encoding="utf-8")
    settings = Settings(data_dir=root / "data")
    ingest([folder], settings)
    return Assistant(settings)


def test_a_pledge_financing_amount_is_answered_by_the_pledge_loan_sum(assistant: Assistant) -> None:
    # 质押融资金额 asked, 质押贷款实现12.5亿元 stated: not the subsidy fund (资金) or the listing (融资).
    ans = assistant.answer("2021年知识产权质押融资金额是多少?")
    assert ans.answerable, ans.answer
    assert "12.5亿元" in ans.answer
    assert "3000万元" not in ans.answer and "88.1亿元" not in ans.answer


def test_a_bundled_set_run_reports_the_median_answer_given() -> None:
    def given(text: str, answerable: bool = True) -> Answer:
        return Answer(question="q", answer=text, answerable=answerable, language="zh-Hans")

    items = [
        {"id": str(k), "question": "q", "answerable": True, "expect_docs": ["d"], "expect_any": ["x"]}
        for k in range(4)
    ]
    answers = [given("x" * 10), given("x" * 30), given("x" * 50), given("refused", answerable=False)]
    assert score_dev(items, answers)["median_answer_chars"] == 30  # refusals are no answer given
