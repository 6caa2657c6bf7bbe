"""A measure asked in one language finds the figure rows of another by the glossary's concepts
alone (issue 12: an English question over Chinese rows)."""

from __future__ import annotations

from index.figure_concepts import counts_asked


def test_an_english_measure_finds_chinese_rows_by_their_concepts():
    assert counts_asked("trademark applications", "商标注册申请")
    assert counts_asked("invention patents", "有效发明专利拥有量")  # a narrower concept counts
    assert counts_asked("patent grants", "专利授权量")  # grant: a patent's, not a subsidy's, here
    assert counts_asked("pledge loans", "知识產權質押貸款")
    assert counts_asked("知识产权质押贷款", "intellectual property pledge loans")


def test_a_concept_asked_that_the_row_lacks_leaves_it_out():
    assert not counts_asked("valid invention patents", "发明专利授权")
    assert not counts_asked("pledge loans", "质押融资金额")
    assert not counts_asked("high-value invention patents per 10,000 people", "每万人口发明专利拥有量")
    assert counts_asked("high-value invention patents per 10,000 people", "每万人口高价值发明专利拥有量")


def test_only_the_words_the_glossary_knows_are_compared_across_languages():
    assert counts_asked("risk compensation pool", "风险补偿基金")
    assert counts_asked("visitors to the exhibition", "参观展会人数")  # visitors: not known, not compared
    assert not counts_asked("visitors to the exhibition", "专利授权量")
    assert not counts_asked("visitors", "参观展会人数")  # nothing known: no match by concepts
