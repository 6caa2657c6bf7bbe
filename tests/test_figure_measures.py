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


def test_adverbials_between_a_measure_and_its_figure_are_skipped():
    found = records("「十四五」期间，全省商标质押融资金额每年平均增长15%。")
    assert found["15%"][0] == "商标质押融资金额"
    found = records("不过，小微企业的获贷率虽已从不足20%明显上升，仍低于40%。")
    assert found["20%"][0].endswith("贷率") and found["40%"][0].endswith("贷率")


def test_two_nouns_joined_by_he_are_one_measure():
    assert records("去年全市专利许可和转让率达12.5%。")["12.5%"][0] == "专利许可和转让率"


def test_a_verb_of_change_after_a_counted_figure_is_not_what_it_counts():
    found = records("全省质押专利数由120件增加到980件。")
    assert found["120件"][0] == found["980件"][0] == "质押专利数"
    assert records("去年本市商标申请8.2万件创新高。")["8.2万件"][0] == "商标申请"


def test_a_figure_without_a_measure_in_its_clause_counts_what_the_clause_before_names():
    found = records("外资企业是增长的主力，申请件数自2020年起逐年上升，去年达到2万1,500件，年增3%。")
    assert found["2万1,500件"][0] == "申请件数"
    assert found["3%"][0] == "申请件数"


def test_this_indicator_is_the_measure_named_before():
    found = records("到2025年，每万人口高价值发明专利拥有量要达到12件；2023年，这一指标为9.4件。")
    assert found["9.4件"][0] == "每万人口高价值发明专利拥有量"


def test_english_measures_skip_adverbs_locations_times_and_pronouns():
    found = records("Last year licensing income alone exceeded 3 billion US dollars.", "2023-02-01", "en")
    assert found["3 billion US dollars"][0] == "licensing income"
    found = records("Trademark pledges across the province have totalled 12.5 billion yuan.", language="en")
    assert found["12.5 billion yuan"][0] == "Trademark pledges"
    found = records("The office granted 150,000 patents, 90,000 of them to domestic firms.", language="en")
    assert found["90,000"][0] == "patents"
    found = records("The platform listed nearly 8,000 projects last year.", "2023-02-01", "en")
    assert found["8,000"][0] == "projects"


def test_an_english_day_and_month_is_a_date_not_a_figure():
    found = records(
        "Speaking at the forum on 12 May, the agency said 30 cities joined; on May 14 it named 9 more.",
        language="en",
    )
    assert "12" not in found and "14" not in found and "30" in found


def test_a_share_of_a_whole_counts_what_comes_before_zhan():
    found = records("不过，获得质押贷款的高新技术企业和科技型中小企业，仅占全省同类企业的3.1%。")
    assert found["3.1%"][0] == "高新技术企业和科技型中小企业"


def test_an_english_count_written_as_a_word_is_a_figure():
    found = records(
        "By June, ten provinces had set up operation funds, and eight more cities began pilots.",
        language="en",
    )
    assert found["ten"][0] == "provinces" and found["eight"][0] == "cities"
    found = records("Over three years the office studied the three products of two companies.", language="en")
    assert "three" not in found and "two" in found


def test_a_measure_ending_in_a_word_whose_last_character_can_link_is_kept_whole():
    # 能 and 可 link a measure to its figure (最高能到), but 功能 and 许可 are words of their own
    found = records("该局把价值评估、质押融资、维权援助等共16项功能整合在一起。")
    assert found["16项"][0] == "功能"
    assert records("去年全市专利实施许可312件。")["312件"][0] == "专利实施许可"
    assert records("骨干运营中心年运营额超千万元。")["千万元"][0] == "运营额"


def test_a_total_counts_what_the_figures_before_it_in_its_sentence_count():
    found = records("全年新建知识产权保护中心8家、快速维权中心7家，总数达到112家。")
    assert found["112家"][0] == "知识产权保护中心和快速维权中心"
    found = records("全市设立工作站12个，总数达到40个，服务企业300家。")
    assert found["40个"][0] == "工作站"


def test_an_amount_put_into_something_counts_that_thing():
    assert records("该市投入2000万元设立知识产权运营基金。")["2000万元"][0] == "知识产权运营基金"
    assert records("市财政安排500万元用于专利资助。")["500万元"][0] == "专利资助"


def test_both_sides_of_a_change_count_what_changes():
    found = records("商标注册审查周期由过去的9个月缩短到4个月。")
    assert found["9个月"][0] == found["4个月"][0] == "商标注册审查周期"
    found = records("发明专利的审查周期由22个月压缩到16个月。")
    assert found["22个月"][0] == found["16个月"][0] == "审查周期"


def test_a_length_of_time_that_jieba_tags_as_time_or_cuts_apart_is_what_is_counted():
    found = records("去年，该中心受理预审申请3200件，每件平均耗时4个工作日。")
    assert found["4个工作日"][0].endswith("耗时")
    assert records("商标注册平均每件审查用时5个工作日。")["5个工作日"][0].endswith("用时")


def test_the_base_of_a_comparison_counts_what_the_clause_after_it_counts():
    found = records("與2020年的2180億元相比，融資金額增長約42%。")
    assert found["2180億元"][0] == found["42%"][0] == "融資金額"
    assert records("与去年同期的3.2万件相比，全市商标注册量增长了15%。")["3.2万件"][0] == "商标注册量"


def test_english_modifiers_joined_by_and_are_one_measure():
    text = "In 2024, 1,068 small and medium-sized enterprises had their IP business hosted by agencies."
    assert records(text, language="en")["1,068"][0] == "small and medium-sized enterprises"
    found = records(
        "The city issued 2,300 research and development grants and 86% of them went to firms.", language="en"
    )
    assert found["2,300"][0] == "research and development grants"


def test_a_pronoun_naming_ones_own_country_modifies_the_noun_after_it():
    assert records("本国人申请5200件，年增6%。")["5200件"][0] == "本国人申请"


def test_a_verb_before_a_count_noun_is_part_of_the_measure():
    assert records("去年申请件数达3.2万件。")["3.2万件"][0] == "申请件数"


def test_a_change_alone_counts_what_the_figure_before_it_counts():
    assert records("2024年全省专利申请4.1万件，比上年略减2%。")["2%"][0] == "专利申请"
    assert records("本省发明专利授权为8200件，小减0.6%。")["0.6%"][0] == "发明专利授权"


def test_a_verb_before_a_verbal_noun_opening_a_clause_is_part_of_the_measure():
    assert records("年初至今，质押融资金额达18亿元。")["18亿元"][0] == "质押融资金额"
    assert records("获批省知识产权运营中心3家。")["3家"][0] == "省知识产权运营中心"


def test_a_year_word_before_a_scope_word_is_no_part_of_the_measure():
    assert records("上年度全市专利资助资金达1200万元。")["1200万元"][0] == "专利资助资金"
