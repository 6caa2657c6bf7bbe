"""Progress between reports with no figure to compute (issue 12, change over time): what each
report says of the subject, the older first, each cited; refused or left to the single fact where
only one report speaks of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.pipeline import answer
from assistant.settings import Settings
from tests.conftest import ingest_reports

REPORTS = {
    "centre-2021.txt": (
        "2021-05-10",
        "长沙知识产权工作会议召开。\n会议提出,今年要完成长沙知识产权维权援助中心筹建工作。\n"
        "会议还部署了商标品牌培育工作,推动专利转化运用。\n",
    ),
    "centre-2024.txt": (
        "2024-06-20",
        "长沙知识产权保护成效显著。\n长沙知识产权维权援助中心正式投入运行,受理案件逐年增加。\n"
        "全市开展知识产权宣传培训活动,企业保护意识不断提升。\n",
    ),
}


@pytest.fixture
def reports(tmp_path: Path) -> Settings:
    return ingest_reports(tmp_path, REPORTS, region="长沙")


def test_progress_between_reports_quotes_each_report_oldest_first(reports: Settings) -> None:
    ans = answer("长沙知识产权维权援助中心从2021年到2024年有什么进展?", settings=reports)
    assert ans.answerable
    assert "筹建" in ans.answer and "投入运行" in ans.answer
    assert ans.answer.index("筹建") < ans.answer.index("投入运行")
    assert {c.doc_id for c in ans.citations} >= {"centre-2021", "centre-2024"}


def test_a_change_without_figures_asked_as_such_is_answered_from_both_reports(reports: Settings) -> None:
    ans = answer("长沙知识产权维权援助中心从2021年到2024年有什么变化?", settings=reports)
    assert ans.answerable and "筹建" in ans.answer and "投入运行" in ans.answer
