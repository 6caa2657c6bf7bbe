"""Figure records read from their context: periods carried by an opening paragraph, a news lead or
the figure a heading repeats; districts as places; measures without their predicate; award tallies
and amounts spelt in characters."""

from __future__ import annotations

from index.figure_records import extract_figures


def only(text: str, **meta: str):
    found = extract_figures(text, "doc", **meta)
    assert len(found) == 1, found
    return found[0]


def test_a_paragraph_that_opens_with_a_time_and_states_no_figure_dates_the_paragraph_after_it():
    text = "去年,大连市获批国家级洁净能源知识产权运营中心,收获颇丰。\n\n全市有效商标注册量为13.8万件。"
    assert only(text, published="2022-04-26").period == "2021"
    # A paragraph with figures of its own states its own time, not that of the paragraph after it.
    text = "截至2021年底,全市有效商标注册量137748件。\n\n全市地理标志证明商标19件。"
    records = extract_figures(text, "doc", published="2022-08-05")
    assert [r.period for r in records] == ["2021", ""]


def test_a_news_lead_dated_by_day_of_month_dates_the_undated_figures_after_it():
    text = (
        "大连市开展知识产权宣传周主题日活动\n\n"
        "中国质量新闻网讯 4月25日,大连市举行知识产权宣传周主题日宣传活动,活动同步在线上播出。\n\n"
        "大连海事大学等5所高校院所签订了合作协议。"
    )
    assert only(text, published="2022-04-26").period == "2022"
    # Without a dated lead an undated figure has no period (近日 is no date).
    text = "近日\n\n国家知识产权局公示了评定结果,大连市成功入选,这是全市知识产权工作的重要成果。\n\n认定试点单位58家。"
    assert only(text, published="2022-08-05").period == ""


def test_a_heading_takes_the_period_of_the_figure_it_repeats():
    text = (
        "每万人口发明专利拥有量突破29件\n\n"
        "2021年,大连市专利授权总量为23508件。\n\n"
        "截至目前,全市每万人口发明专利拥有量29.4件。\n"
    )
    heading = extract_figures(text, "doc", published="2022-08-05")[0]
    assert (heading.value, heading.period) == (29, "2022")


def test_a_district_named_after_its_city_is_the_place():
    text = "在大连高新区建设国家知识产权服务业集聚区,成功集聚各类知识产权服务机构102家。"
    assert only(text, region="大连").place == "大连高新区"
    # A district opening an organisation's name is no place of the figure.
    text = "大连市甘井子区峰岚产学研结合研究院等23个商标品牌指导站授牌。"
    assert only(text, region="大连").place_key == "dalian"


def test_the_verb_opening_a_measure_is_its_predicate_not_what_is_counted():
    assert only("办理知识产权质押融资1000余笔。").measure == "知识产权质押融资"
    assert extract_figures("认定试点单位58家,实现总产值118.22亿元。", "doc")[1].measure == "总产值"
    assert only("专利转化和产业化实现总产值118.22亿元").measure == "总产值"


def test_a_party_after_与_is_not_part_of_the_measure():
    text = "同时,大连海事大学等5所高校院所与金融联盟理事长单位北方国家版权交易中心签订了合作协议。"
    assert only(text).measure == "高校院所"
    assert only("成功举办第十二届中国国际专利技术与产品交易会。").measure == "中国国际专利技术与产品交易会"


def test_an_amount_of_money_spelt_in_characters_is_a_figure():
    record = only("培育年运营额超千万元骨干知识产权运营中心。")
    assert (record.value, record.unit, record.measure) == (10_000_000, "元", "运营额")
    assert extract_figures("深入实施五大计划和三大行动。", "doc") == []


def test_an_award_tally_is_one_count_per_grade():
    text = "在第二十五屆中國專利獎評選中獲1金2銀7優秀的佳績。"
    records = extract_figures(text, "doc", region="長沙")
    assert [(r.text, r.value, r.unit, r.measure) for r in records if r.kind != "other"] == [
        ("1金", 1, "项", "中國專利獎金獎"),
        ("2銀", 2, "项", "中國專利獎銀獎"),
        ("7優秀", 7, "项", "中國專利獎優秀獎"),
    ]


def test_an_ordinal_opening_a_quoted_name_is_no_figure():
    text = 'During the "14th Five-Year Plan" period, Dalian held the 12th China Patent Fair.'
    assert [r.text for r in extract_figures(text, "doc", language="en")] == ["12th"]


def test_more_measure_words_and_compound_numbers_are_read():
    record = only("2023年本國人提出的發明專利申請為1萬9,634件。", region="台灣")
    assert (record.text, record.value, record.unit) == ("1萬9,634件", 19_634, "件")
    assert only("2025年,共有30户企业取得了知识产权质押融资。").unit == "户"
    assert only("发明专利平均授权周期压缩为44个月。").unit == "个月"
    record = only("It will bring in funds of $142.2 million for the fund.", language="en")
    assert (record.value, record.unit) == (142_200_000, "usd")


def test_a_count_with_its_measure_word_counts_the_verb_after_it():
    record = only("至去年12月底,知識產權署共接獲825宗申請。", published="2024-02-17")
    assert (record.measure, record.period) == ("申請", "2023")
    first, tenth = extract_figures("825宗申请约一成批出,处理时间较长。", "doc")
    assert (first.measure, tenth.value, tenth.unit) == ("申请", 10, "%")


def test_our_country_is_the_articles_own_place():
    assert only("我國2023年發明專利申請超過5萬件。", region="台灣").place == "台灣"


def test_tenths_and_counts_a_linking_word_states_are_figures():
    record = extract_figures("這825宗申請之中,接近四成半申請人屬本港。", "doc", region="香港")[1]
    assert (record.text, record.value, record.unit) == ("四成半", 45, "%")
    assert only("该署以2030年专利审查人员增加到百人为目标。").value == 100
    assert extract_figures("一成不变的五大计划。", "doc") == []


def test_a_range_gives_its_first_number_the_unit_of_its_last():
    records = extract_figures("由递交到批出,处理时间介乎12至44个月。", "doc")
    assert [(r.text, r.value, r.unit) for r in records] == [("12", 12, "个月"), ("44个月", 44, "个月")]
    assert all(r.measure.endswith("时间") for r in records)


def test_a_year_in_a_documents_title_is_not_the_period_of_a_figure_outside_it():
    text = "2022年8月,洛阳出台《工作方案(2022-2025年)》。方案提出27项重点任务。"
    assert only(text).period == "2022"


def test_a_space_between_the_parts_of_a_headline_separates_their_years():
    text = "審查員現有29名 2030年目標百人\n到去年底署方已聘請29名審查員。\n"
    first = extract_figures(text, "doc", published="2024-02-17")[0]
    assert (first.value, first.measure, first.period) == (29, "審查員", "2023")


def test_a_place_ending_in_a_locative_is_not_what_is_counted():
    assert only("已为名单内2家企业迅速授信。").measure == "企业"


def test_a_paragraph_going_on_with_the_one_before_takes_its_time():
    text = (
        "今年上半年，全省专利商标质押融资总额为320亿元；质押项目共900个，增长12%。\n"
        "分类来看，专利质押融资250亿元，项目780个；商标质押融资70亿元，同比增长5.5%，项目120个。"
    )
    found = {r.text: r.period for r in extract_figures(text, "doc", published="2024-08-01", region="江苏")}
    assert found["70亿元"] == found["5.5%"] == found["120个"] == "2024"


def test_an_english_day_of_the_month_without_a_year_is_the_articles_time():
    text = "Speaking at a forum on May 12, the office said that nine provinces had set up operation funds."
    found = extract_figures(text, "doc", published="2023-06", region="China", language="en")
    assert [(r.text, r.period) for r in found] == [("nine", "2023")]


def test_the_highest_of_all_years_names_no_span_of_years():
    text = "商标方面，2024年申请件数达9万件，为历年最高。本地人申请6万件。"
    found = {r.text: r.period for r in extract_figures(text, "d", published="2025-02-01")}
    assert found["6万件"] == "2024"
