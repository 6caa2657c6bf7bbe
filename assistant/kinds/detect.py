"""Which kind of answer a question asks for, read from its wording (Simplified, Traditional, English).

A kind is one of `KINDS`; None is a single fact, answered by the extractive answerer. The patterns
look at the question's structure (an interrogative asking which of two, a 'how did … change', a
'which measures', a 'summarise', a closing 吗 / leading 'Is', a relative clause naming the thing
asked about by a description, a 'in total') rather than at any topic.
"""

from __future__ import annotations

import re

from index.normalize import to_simplified

KINDS = ("comparison", "change", "list", "summary", "yesno", "bridge", "aggregate")

_SUMMARY = re.compile(r"总结|概括|概述|摘要|归纳|综述|主要内容|summari[sz]e|summary|overview|sum up", re.I)
_AGGREGATE = re.compile(
    r"合计|总计|总共|一共|共有|共计|共(?:多少|几)|共[\u4e00-\u9fff]{1,3}(?:多少|几)个|加起来|总和|总数|"
    r"in total|combined|altogether|sum of|total (?:number|amount)|how many\b.*\bin all|"
    r"how (?:many|much)\b.*\btogether\b|"
    # 多少家A和B参加: how many of two kinds of thing, counted together
    r"(?:多少|几)(?:家|个|所|项|件)[^,，。?？]{1,12}(?:和|与|及)[^,，。?？]{1,12}(?:参加|参与|出席|入选|上榜)",
    re.I,
)
COUNT_LISTED = re.compile(
    r"(?:多少|几)个(?:地方|城市|地区|单位)|with how many (?:places|cities|regions)", re.I
)
_COMPARISON = re.compile(
    r"(?:哪|谁)[^,，。?？]{0,30}?(?:更|较)(?:高|多|大|快|低|少|小|慢|强)"
    r"|哪(?:个|一个|一类|类|一方)?[^,，。?？]{0,3}(?:高|多|大|快|低|少|小|慢|强)[?？。]?$"
    r"|\bwhich\b[^?]*\b(?:higher|larger|bigger|more|greater|faster|lower|smaller|fewer|less)\b"
    r"|\bhow (?:does|do|did)\b.*\bcompare\b|\bvs\.?\b|\bversus\b",
    re.I,
)
_CHANGE = re.compile(
    r"变化|有何变|怎样变|如何变|增长了多少|增加了多少|减少了多少|提高了多少|下降了多少|比上一?年|"
    r"how (?:did|has|have|is|was|will)\b.*\b(?:change|grow|develop|evolve|rise|fall|increase|decrease)|"
    r"\bchanged?\b.*\bfrom\b.*\bto\b|"
    r"\bby (?:what|how much|which) (?:factor|multiple|percentage|share)\b|"
    r"\bhow much did\b.*\b(?:grow|rise|increase|fall|decrease)\b|"
    r"\bby (?:roughly |about |approximately )?how (?:much|many)\b.*\b(?:grow|rise|increase|fall|decrease|decline)\b|"
    # progress between two reports or periods: 从2022年到2025年有什么进展, 2022年…和2025年…分别怎么说
    r"从[^,，。?？]{1,20}到[^?？]{0,30}(?:进展|发展|变化|不同)|"
    r"(?:19|20)\d\d年[^?？]{0,30}(?:和|与)[^?？]{0,6}(?:19|20)\d\d年[^?？]{0,20}(?:分别|各)",
    re.I,
)
_BRIDGE = re.compile(
    r"(?:所在|的)(?:城市|地方|地区|省份)(?![\u4e00-\u9fff])|(?:所在|的)(?:城市|地方|地区|省份)的|"
    # 其研发单位所在城市累计…: 所在 names a place by what stands in it, whatever follows
    r"所在的?(?:城市|地区|省份)|(?:那|这)(?:个|座)(?:城市|地区)|"
    r"\b(?:the )?(?:city|place|region) (?:whose|that|which|where)\b|"
    r"\bthe (?:city|place|region) (?:\w+ing|\w+ed)\b",
    re.I,
)
# What a bridge question asks of the place it describes: a figure or a thing, not the place itself
# (艾努语使用的地区是哪里 asks for the place: a single fact).
_BRIDGE_ASK = re.compile(
    r"多少|几|是什么|有哪些|\bhow (?:many|much)\b|\bwhat (?:is|was|are|were)\b|"
    r"\bwhat (?:\w+ ){0,3}(?:did|does|do|has|have|had)\b",  # what total output value did …
    re.I,
)
# 比2022年报道的多几个, 比上年多多少, 2021年是2018年的几倍: how much more than at another time, where a
# period is named.
_MORE_THAN = re.compile(
    r"比[^,，。?？]{0,25}(?:多|少|高|低)(?:出|了)?(?:大约|大概|约)?(?:多少|几)|(?:几|多少)倍|相差(?:多少|几)|\bhow many times\b|"
    r"\bby how (?:much|many)\b",
    re.I,
)
_TIMED = re.compile(r"(?:19|20)\d\d年|上一?年|去年|前年|报道|目标|\b(?:19|20)\d\d\b")
_LIST = re.compile(
    r"哪些|哪几(?:个|项|种|条)|哪[两二三四五六七八九十]个|有什么(?:举措|措施|活动|工作|做法)|"
    r"做了什么|采取了什么|"
    r"\bwhich (?:measures|steps|actions|titles|places|organi[sz]ations|activities|programmes|programs)\b|"
    r"\bwhat (?:measures|steps|actions|activities)\b|\bwhat (?:has|have|did)\b.*\bdone\b|"
    r"\bwhat took place\b|\bwhat (?:happened|was done)\b|"
    r"^which(?:\s+[\w-]+){0,2}\s+\w+s\s+(?:has|have|did|does|do|are|were)\b|"
    r"^(?:list|name|enumerate)\b|^列出|^列举|"
    r"^what(?:\s+[\w-]+){0,2}\s+\w+s\s+(?:has|have)\b|"
    r"^which\s+\w+(?:ies|ts|ns|es)\s+(?:of|in|from)\b|分别是(?:谁|哪些|什么)",
    re.I,
)
_YESNO_ZH = re.compile(r"(?:吗|嘛)[?？。]?$|是否|是不是|有没有|能否|可否")
_YESNO_EN = re.compile(r"^(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would)\b", re.I)


def question_kind(text: str) -> str | None:
    """The kind of answer `text` asks for, or None for a single fact."""
    form = to_simplified(" ".join(text.split())).strip()
    if _SUMMARY.search(form):
        return "summary"
    if _YESNO_ZH.search(form) or _YESNO_EN.search(form):
        return "yesno"
    if _is_bridge(form):
        return "bridge"
    if _AGGREGATE.search(form) or COUNT_LISTED.search(form):
        return "aggregate"
    if _COMPARISON.search(form):
        return "comparison"
    if _CHANGE.search(form) or (_MORE_THAN.search(form) and _TIMED.search(form)):
        return "change"
    if _LIST.search(form):
        return "list"
    return None


def _is_bridge(form: str) -> bool:
    """A description of a place, then a question about it (an English question may ask first)."""
    found = _BRIDGE.search(form)
    if found is None:
        return False
    rest = form if found.group().isascii() else form[found.end() :]
    return _BRIDGE_ASK.search(rest) is not None
