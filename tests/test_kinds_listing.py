"""Lists (issue 12): a list asking which things are named is answered only where the evidence names them."""

from __future__ import annotations

from assistant.kinds.listing import asked_members, names_members
from assistant.kinds.parts import Sentence
from assistant.pipeline import Assistant
from assistant.settings import Settings


def _s(text: str) -> Sentence:
    return Sentence("doc", 0, len(text), text, {})


def test_the_things_a_list_asks_to_be_named_are_read_from_the_question() -> None:
    assert asked_members("大連有哪些企業被培育為示範企業?") == "企业"
    assert asked_members("这座城市获批了哪些省级运营中心?") == "中心"
    assert asked_members("大连的5家骨干运营中心分别是哪些?") == "中心"
    assert asked_members("Which enterprises were cultivated?") is None


def test_a_count_of_the_things_asked_does_not_name_them() -> None:
    assert not names_members([_s("全市累计培育国家知识产权示范优势企业86家,省优势企业100家。")], "企业")
    assert not names_members([_s("获批省知识产权运营中心2家,备案市级知识产权运营中心11家。")], "中心")


def test_a_clause_that_does_not_count_the_things_may_name_them() -> None:
    assert names_members([_s("协定由奥斯曼帝国与代表协约国的英国签订。")], "国家")
    assert names_members([_s("普朗特培养了许多国际知名的力学家,如冯·卡门。")], "学家")


def test_an_enumeration_or_a_heading_above_the_members_names_them() -> None:
    assert names_members([_s("认定中触媒新材料等58家示范试点企业,实现总产值118.22亿元。")], "企业")
    assert names_members([_s("重点探索与工信、科技、商务等部门联动。")], "部门")
    assert names_members([_s("大连定下这些目标"), _s("累计高价值知识产权组合达到25个")], "目标")
    assert names_members([_s("推进知识产权信息公共服务体系建设。")], "企业")  # not there: nothing to judge by


def test_a_chinese_list_is_answered_from_the_chinese_section_its_heading_names(
    bundled_settings: Settings,
) -> None:
    # The single fact for it is an English sentence; the Chinese article heads the same measures.
    answer = Assistant(bundled_settings).answer("大连有哪些知识产权金融服务方面的举措?")
    assert answer.answerable, answer.answer
    assert "风险补偿基金" in answer.answer and "投资补助资金" in answer.answer
    assert all(c.language != "en" for c in answer.citations), answer.answer


def test_members_after_a_colon_are_named_by_the_count_before_it() -> None:
    assert names_members([_s("实际管辖4个非都市区：索里兹伯里、肯尼特、威尔特郡北。")], "都市区")
