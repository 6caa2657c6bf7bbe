"""The cross-language measure matcher: a measure asked in one language finds the figure rows of
another by the glossary's concepts (issue 12: an English question over Chinese rows), and the
series of a change scores rows with the same concepts and a dictionary."""

from __future__ import annotations

from index.figure_records import measure_key
from index.measure_matcher import counts_asked


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


class _Lexicon:
    """A two-entry dictionary standing in for CC-CEDICT."""

    def english(self, word: str) -> tuple[str, ...]:
        return {"导航": ("navig",)}.get(word, ())

    def chinese(self, words: tuple[str, ...], limit: int = 8) -> tuple[str, ...]:
        return {("navig",): ("导航",)}.get(words, ())[:limit]


def test_one_matcher_serves_the_filter_and_the_series_score():
    from index.measure_matcher import asked_parts, cross_fit

    row = {"measure": "每万人口发明专利拥有量", "measure_key": measure_key("每万人口发明专利拥有量")}
    # the filter wants the row's concept the same or narrower; the series score takes a broader one
    assert not counts_asked("valid invention patents per 10,000 people", row["measure"])
    assert cross_fit(asked_parts("valid invention patents per 10,000 people"), row, _Lexicon()) >= 1.0
    # a word the glossary does not know is held through the dictionary it is given, and only so
    bases = {"measure": "省级导航基地", "measure_key": "provincial+导航基地"}
    asked = asked_parts("provincial navigation bases")
    assert cross_fit(asked, bases, _Lexicon()) > cross_fit(asked, bases, _NoWords())


class _NoWords(_Lexicon):
    def english(self, word: str) -> tuple[str, ...]:
        return ()

    def chinese(self, words: tuple[str, ...], limit: int = 8) -> tuple[str, ...]:
        return ()
