"""What a figure counts where the words beside it are a comparison or a change (issue 12): a share
compared with another time counts what the clause before counts, the level a change reaches counts
what changed, and the base of a rate (per 10,000 people) is no figure."""

from __future__ import annotations

from index.figure_records import extract_figures


def records(text: str, published: str = "2024-02-01", language: str = "") -> dict[str, tuple[str, str]]:
    found = extract_figures(text, "doc", published=published, language=language)
    return {r.text: (r.measure, r.kind) for r in found}


def test_a_share_compared_with_another_time_counts_what_the_clause_before_counts():
    found = records(
        "The city granted 23,400 invention patents in 2022, up 11.2% year on year.", language="en"
    )
    assert found["11.2%"] == ("invention patents", "growth")
    found = records("In 2019 the city registered 9,300 trademarks, 15% more than in 2018.", language="en")
    assert found["15%"] == ("trademarks", "growth")
    found = records("去年,全市商标注册申请量为8.7万件,较前年下降3.2%。")
    assert found["3.2%"] == ("商标注册申请量", "growth")


def test_a_share_two_clauses_after_its_measure_counts_it():
    found = records("2022年全市专利质押融资额为18亿元,2023年增至27亿元,增长50%。")
    assert found["50%"] == ("专利质押融资额", "growth")


def test_the_level_a_change_reaches_counts_what_changed():
    found = records("The number of trademark applications fell by 4% to 91,000 in 2023.", language="en")
    assert found["91,000"][0] == "trademark applications"


def test_an_amount_compared_with_another_years_counts_the_same_thing():
    text = "The city's patent pledge financing reached 3.2 billion yuan last year, compared with 2.1 billion yuan in 2021."
    assert records(text, "2023-02-01", "en")["2.1 billion yuan"][0] == "city's patent pledge financing"


def test_the_base_of_a_rate_is_no_figure():
    found = records(
        "By the end of 2022, the province had 56,000 valid invention patents, or 12.1 per 10,000 people.",
        language="en",
    )
    assert "10,000" not in found and "12.1" in found


def test_a_linking_verb_is_no_part_of_the_measure():
    found = records("Trademark registrations totalled 4,300 last year.", language="en")
    assert found["4,300"][0] == "Trademark registrations"  # not 'last year', nor 'totalled'
    found = records("Applications filed through the treaty totaled 1,800.", language="en")
    assert found["1,800"][0] == "treaty"
