"""What a figure counts: the noun phrase next to its number, read from jieba's words and tags in
Chinese and from a short list of function words in English. Offsets are into the search form
(index.figure_text.form_of), which slices the original text one for one."""

from __future__ import annotations

import re

from index.figure_text import Span, Token, tag_of, tokens
from index.figure_times import NOT_MEASURE_EN
from index.figures import find_figures

_NOUNISH = ("n", "vn", "l", "j", "nz", "nt", "b", "an", "ng", "nrt", "i", "s")
_VERBISH = ("v", "vd", "vn")
# Tags whose word, left of a verb, shows that verb starts a verb phrase (累计建成, 成功培育).
_PHRASE_START = ("v", "vd", "d", "p", "r", "c", "a", "ad", "f")
# Tags of words that link a measure to its figure (增至, 达到, 中, 约): skipped.
_LINKING = ("v", "d", "p", "f", "u", "ul", "uj", "ad", "c", "vd", "zg", "q", "x")
_MAX_MEASURE_CHARS = 18
# Verbs and adverbs that link what is counted to its number (拥有量突破29件, 跃居第32位).
_LINKING_WORDS = frozenset(
    [
        "达",
        "达到",
        "为",
        "是",
        "增至",
        "增长到",
        "增加到",
        "提高到",
        "提升到",
        "上升到",
        "突破",
        "超过",
        "超",
        "逾",
        "约",
        "近",
        "共",
        "累计",
        "合计",
        "总计",
        "共计",
        "实现",
        "完成",
        "有",
        "拥有",
        "占",
        "居",
        "位居",
        "跃居",
        "排名",
        "排",
        "列",
        "保持",
        "维持",
        "新增",
        "增加",
        "增长",
        "提高",
        "下降",
        "减少",
        "同比",
        "环比",
        "分别",
        "已",
        "已经",
        "均",
        "总",
        "再",
        "又",
        "仅",
        "就",
        "一共",
        "现有",
        "目标",
        "介乎",
        "介于",
        "最高",
        "最多",
        "能到",
        "能",
        "可",
        "到",
        "可达",
        "当中",
        "其中",
    ]
)
# Words after a figure that lead to what it counts: 825宗是…, 24%拥有博士学位.
_AFTER_LINKING = ("以上", "左右", "余", "多", "的", "之多", "是", "为", "有", "拥有", "目标")
# A locative ends a place (名单内, 活动中), not a measure.
_LOCATIVES = frozenset(["内", "中", "里", "上", "之中"])
# Verbs that jieba may tag as nouns where they open a clause (办理 n): a predicate, not a measure.
_PREDICATES = frozenset(
    ["办理", "实现", "打造", "培育", "建成", "获批", "认定", "引进", "吸引", "设立", "组建", "选聘"]
)
_COPULAS = frozenset(["实现", "达到", "完成"])
_PER = re.compile(r"(?:每|人均)[十百千万亿]?(?:人口|人|户|平方公里)?(?=\w)")

# English words that are no part of a measure's name: articles, auxiliaries, prepositions, and
# the verbs and adverbs that link a measure to its number ('reached', 'a total of').
EN_FUNCTION = frozenset(
    """a an the of to in on at by for from with and or as is are was were be been being has have had which
    that this these those it its their our who whom whose into over under about around nearly
    approximately almost more than less up down reach reached reaches reaching exceed exceeded exceeding
    exceeds hit total totalling totaling amounted amounting amount to accumulated cumulative achieved
    achieving became become stood standing rose grew increased increasing decreased fell up by some per
    cent percent yuan rmb million billion thousand trillion times helped help helping so far while also
    were will would should could may might can did do does set established launched identified introduced
    built held approved attracting attracted where there then when after before since through during such
    other compared totaled totalled numbered came topped surpassed passed jumped climbed dropped declined rise increase""".split()  # noqa: SIM905
)
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def _nounish(tag: str) -> bool:
    return (tag.startswith("n") and tag != "ns") or tag in _NOUNISH


def measure_before_zh(form: str, start: int, end: int) -> Span | None:
    """The noun phrase ending just before a figure at `end` (linking words such as 增至 skipped),
    within form[start:end]: its words are nouns, or verbs inside a noun compound (质押融资)."""
    toks = [Token(t.start, t.end, t.word, tag_of(t)) for t in tokens(form, start, end)]
    i = len(toks) - 1
    while i >= 0 and (
        toks[i].tag in _LINKING
        or toks[i].word in _LINKING_WORDS
        or toks[i].tag == "m"
        or toks[i].word in _PREDICATES  # 质押登记累计办理10件
    ):
        if toks[i].tag in ("v", "vn") and toks[i].word not in _LINKING_WORDS | _PREDICATES:
            break
        i -= 1
    last = i
    if last >= 0 and toks[last].word in _LOCATIVES:
        return None  # 名单内2家: a place ends here, not a noun phrase
    while i >= 0:
        tok = toks[i]
        if tok.tag in ("ns", "m", "x", "uj", "p", "c", "r", "f") or not tok.word.strip():
            break
        if i > 0 and toks[i - 1].tag == "m" and len(tok.word) == 1:
            break  # 825宗申请: the measure word of the number before, not part of the measure
        if i < last and tok.word in _COPULAS:
            break  # 产业化实现总产值: what is counted is the noun after the linking verb
        if toks[last].end - tok.end >= 2 and (tok.tag in _VERBISH or tok.tag in ("d", "ad")):
            left = toks[i - 1].tag if i > 0 else "x"
            if left in _PHRASE_START or (tok.tag in ("d", "ad") and left != "x"):
                break
            if tok.tag == "v" and left == "x" and toks[last].end - tok.end >= 4:
                break  # 获批省知识产权运营中心: a verb opening its clause is its predicate
        elif not _nounish(tok.tag) and tok.tag not in ("a", "vn", "v"):
            break
        if toks[last].end - tok.start > _MAX_MEASURE_CHARS:
            break
        i -= 1
    first = i + 1
    # 办理知识产权质押融资1000余笔, 打造面积超3000平方米: the verb opening the phrase is its
    # predicate; what is counted is its object.
    while first < last and (toks[first].tag == "v" or toks[first].word in _PREDICATES):
        first += 1
    if first > last:
        return None
    begin = toks[first].start
    for per in _PER.finditer(form, max(start, begin - 6), toks[last].end):
        if per.start() < begin <= per.end():  # 每万人 (per 10,000 people) is part of what is counted
            begin = per.start()
    return _trim_zh(form, Span(begin, toks[last].end))


def measure_after_zh(form: str, start: int, end: int, counted: bool = False) -> Span | None:
    """The noun phrase right after a figure (推动238项专利向…: 专利), or None when none follows.
    `counted`: the figure has a measure word (825宗申请), so a verb right after it is what is
    counted (申请, applications)."""
    toks = [Token(t.start, t.end, t.word, tag_of(t)) for t in tokens(form, start, end)]
    i = 0
    while i < len(toks) and toks[i].word in _AFTER_LINKING:
        i += 1
    first, joined = i, None
    while i < len(toks) and (
        _nounish(toks[i].tag)
        or (counted and i == first and toks[i].tag in ("v", "vn"))
        or (i > first and toks[i].tag == "a")
        # 专利技术与产品交易会: a name may join two nouns
        or (
            i > first
            and toks[i].word in ("与", "和", "及")
            and i + 1 < len(toks)
            and _nounish(toks[i + 1].tag)
        )
    ):
        if toks[i].end - toks[first].start > _MAX_MEASURE_CHARS:
            break
        if toks[i].word in ("与", "和", "及"):
            joined = i
        i += 1
    if joined is not None and i < len(toks) and toks[i].tag != "x":
        i = joined  # 高校院所与…单位北方国家版权交易中心签订: 与 names a party, not a joint name
    verb_first = counted and first < len(toks) and toks[first].tag in ("v", "vn")
    while i > first + verb_first and not _nounish(toks[i - 1].tag):
        i -= 1
    if i == first:
        return None
    return _trim_zh(form, Span(toks[first].start, toks[i - 1].end))


def ends_with_noun_zh(form: str, start: int, end: int) -> bool:
    """Whether a noun stands right before `end` (a linking word such as 总计 or 达 is none)."""
    toks = tokens(form, start, end)
    return bool(toks) and _nounish(tag_of(toks[-1])) and toks[-1].word not in _LINKING_WORDS


_LINKING_CHARS = frozenset(w for w in _LINKING_WORDS if len(w) == 1) - {"总"}
_SCOPE = re.compile(r"(?:全市|全省|全区|全县|全国|本市|我市|其中|累计|共计|合计|总计|共)")


def _trim_zh(form: str, span: Span) -> Span | None:
    """Scope words (全市, 累计) at the start belong to place and kind, not to the measure."""
    m = _SCOPE.match(form, span.start, span.end)
    start = m.end() if m else span.start
    end = span.end
    if form[end - 1] in _LINKING_CHARS:
        end -= 1  # 年运营额超千万元: jieba reads 额超 as one word
    return Span(start, end) if end - start >= 2 else None


def measure_before_en(form: str, start: int, end: int) -> Span | None:
    """English: the content words just before the number, linking words ('to reach', 'a total
    of') skipped; stops at punctuation and function words."""
    words = list(_EN_WORD.finditer(form, start, end))
    i = len(words) - 1
    while i >= 0 and words[i].group().lower() in EN_FUNCTION:
        if re.search(
            r"[^\sA-Za-z'-]", form[words[i].end() : end if i == len(words) - 1 else words[i + 1].start()]
        ):
            return None
        i -= 1
    last = i
    while i >= 0 and words[i].group().lower() not in EN_FUNCTION:
        between = form[words[i].end() : words[i + 1].start()] if i < last else ""
        if re.search(r"[^\s'-]", between):
            break
        i -= 1
    if i + 1 > last or last < 0:
        return None
    return Span(words[i + 1].start(), words[last].end())


def measure_after_en(form: str, start: int, end: int) -> Span | None:
    """English: the noun phrase after a number ('58 demonstration pilot units of X', '32 million
    yuan of risk compensation funds'): content words, with one 'of' phrase."""
    if NOT_MEASURE_EN.match(form, start, end):
        return None  # '15% more than in 2018', 'up 11.2% year on year': a comparison, not a measure
    words = list(_EN_WORD.finditer(form, start, end))
    i, first, used_of = 0, None, False
    while i < len(words):
        word = words[i].group().lower()
        gap = form[words[i - 1].end() : words[i].start()] if i else form[start : words[0].start()]
        if re.search(r"[^\s'-]", gap):
            break
        if word == "of" and first is not None and not used_of:
            used_of = True
        elif word in ("of", "the", "a", "an", "more", "additional") and first is None:
            pass
        elif word in EN_FUNCTION or (word.endswith("ed") and first is not None):
            break
        elif first is None:
            first = i
        i += 1
    if first is None:
        return None
    last = i - 1
    while last > first and words[last].group().lower() in EN_FUNCTION:
        last -= 1
    return Span(words[first].start(), words[last].end())


def measure_of_clause_en(form: str, clause: Span) -> Span | None:
    """What the last figure (not a year) of an English clause counts."""
    text = form[clause.start : clause.end]
    found = [f for f in find_figures(text) if f.unit or not re.fullmatch(r"(?:19|20)\d{2}", f.text.strip())]
    if not found:
        return None
    before = measure_before_en(form, clause.start, clause.start + found[-1].start)
    after = measure_after_en(form, clause.start + found[-1].end, clause.end)
    return (before or after) if found[-1].unit in ("元", "usd", "%", "倍") else (after or before)
