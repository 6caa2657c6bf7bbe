"""What a figure counts in Chinese: the noun phrase next to its number, read from jieba's words
and tags (English: index.figure_measures_en). Offsets are into the search form
(index.figure_text.form_of), which slices the original text one for one."""

from __future__ import annotations

import re

from index.figure_text import Span, Token, in_dictionary, tag_of, tokens

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
        "不足",
        "不到",
        "低于",
        "高于",
        "仅占",
        "要",
        "将",
        "需",
        "应",
        "力争",
        "争取",
        "预计",
    ]
)
# Words after a figure that lead to what it counts: 825宗是…, 24%拥有博士学位.
_AFTER_LINKING = ("以上", "左右", "余", "多", "的", "之多", "是", "为", "有", "拥有", "目标")
# A locative ends a place (名单内, 活动中), not a measure.
_LOCATIVES = frozenset(["内", "中", "里", "上", "之中"])
# Verbs that jieba may tag as nouns where they open a clause (办理 n): a predicate, not a measure.
_PREDICATES = frozenset(
    ["办理", "实现", "打造", "培育", "建成", "新建", "获批", "认定", "引进", "吸引", "设立", "组建", "选聘"]
)
_COPULAS = frozenset(["实现", "达到", "完成"])
# Nouns that count what the verb before them names (申请件数, 授权数量, 参与人数).
_COUNT_NOUNS = frozenset(
    ["件数", "数量", "金额", "人数", "次数", "户数", "家数", "笔数", "总数", "总额", "总量"]
)
_OWN_MODIFIERS = frozenset(["本国", "本港", "本地", "本澳"])
_COMPARING = frozenset(["相比", "相较", "比较"])  # 与去年的3.2万件相比: the end of a base phrase
_PER = re.compile(r"(?:每|人均)[十百千万亿]?(?:人口|人|户|平方公里)?(?=\w)")


def _nounish(tag: str) -> bool:
    return (tag.startswith("n") and tag != "ns") or tag in _NOUNISH


# Single characters that end a measure's name (转让率, 专利数, 拥有量) and that jieba, cutting
# them off, may tag as verbs or numbers.
_SUFFIX_NOUNS = frozenset("率数量额")
# Words joining two nouns into one measure (许可和转让率, 项目数和融资金额).
_JOINING = frozenset(["和", "与", "及"])


def names_something(tok: Token) -> bool:
    """A noun other than a time or a measure word (月 in 9个月 is none)."""
    return _nounish(tok.tag) and tok.tag not in ("t", "q") and tok.word not in _SUFFIX_NOUNS


def tokens_of(form: str, start: int, end: int) -> list[Token]:
    return _tokens(form, start, end)


# Lengths of time that are what is measured (审查周期 9个月), which jieba tags as time words.
_TIME_NOUNS = frozenset(["周期", "期限", "时长", "时限", "工期", "用时", "耗时"])


def _tokens(form: str, start: int, end: int) -> list[Token]:
    out: list[Token] = []
    for t in tokens(form, start, end):
        if out and out[-1].tag == "p" and len(out[-1].word) == 1 and out[-1].word + t.word in _TIME_NOUNS:
            out[-1] = Token(out[-1].start, t.end, out[-1].word + t.word, "n")  # 用/p 时/n: one word
            continue
        noun = t.word in _SUFFIX_NOUNS or t.word in _TIME_NOUNS
        out.append(Token(t.start, t.end, t.word, "n" if noun else tag_of(t)))
    return out


def measure_before_zh(form: str, start: int, end: int) -> Span | None:
    """The noun phrase ending just before a figure at `end` (linking words such as 增至 skipped),
    within form[start:end]: its words are nouns, or verbs inside a noun compound (质押融资)."""
    toks = _tokens(form, start, end)
    i = len(toks) - 1
    while i >= 0 and (
        toks[i].tag in _LINKING
        or toks[i].word in _LINKING_WORDS
        or toks[i].tag == "m"
        or _adverbial(toks, i)  # 金额每年平均增长: time and manner between a noun and its figure
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
        if tok.word in _JOINING and last > i > 0 and (_nounish(toks[i - 1].tag) or toks[i - 1].tag == "nr"):
            i -= 1  # 许可和转让率: two nouns joined are one measure
            continue
        if tok.word in _OWN_MODIFIERS and i < last:
            i -= 1  # 本国人申请: a pronoun naming one's own country modifies the noun after it
            continue
        if tok.tag in ("ns", "m", "x", "uj", "p", "c", "r", "f") or not tok.word.strip():
            break
        if i > 0 and toks[i - 1].tag == "m" and len(tok.word) == 1:
            break  # 825宗申请: the measure word of the number before, not part of the measure
        if i < last and tok.word in _COPULAS:
            break  # 产业化实现总产值: what is counted is the noun after the linking verb
        if toks[last].end - tok.end >= 2 and (tok.tag in _VERBISH or tok.tag in ("d", "ad")):
            left = toks[i - 1].tag if i > 0 else "x"
            if tok.tag == "vn" and left == "v":
                pass  # 质押融资金额: a verbal noun after a verb makes a compound, not a predicate
            elif left in _PHRASE_START or (tok.tag in ("d", "ad") and left != "x"):
                break
            if tok.tag == "v" and left == "x" and toks[last].end - tok.end >= 4 and toks[i + 1].tag != "vn":
                break  # 获批省知识产权运营中心: a verb opening its clause is its predicate (质押融资 is none)
        elif not _nounish(tok.tag) and tok.tag not in ("a", "vn", "v"):
            break
        if toks[last].end - tok.start > _MAX_MEASURE_CHARS:
            break
        i -= 1
    first = i + 1
    # 办理知识产权质押融资1000余笔, 打造面积超3000平方米: the verb opening the phrase is its
    # predicate; what is counted is its object.
    while first < last and (toks[first].tag == "v" or toks[first].word in _PREDICATES):
        if toks[first].word not in _PREDICATES and (
            (first + 1 == last and toks[last].word in _COUNT_NOUNS) or toks[first + 1].tag == "vn"
        ):
            break  # 申请件数, 质押融资金额: a verb before a count noun or a verbal noun is a compound
        first += 1
    if first + 1 < last and _SCOPE.fullmatch(toks[first].word) and toks[first + 1].word in _PREDICATES:
        first += 2  # 全市设立工作站12个: a scope word before the predicate does not keep it
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
    toks = _tokens(form, start, end)
    i = 0
    while i < len(toks) and toks[i].word in _AFTER_LINKING:
        i += 1
    first, joined = i, None
    verb_first = counted and _counted_verb(toks, first)
    while i < len(toks) and (
        _nounish(toks[i].tag)
        or (verb_first and i == first)
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
    while i > first + verb_first and not _nounish(toks[i - 1].tag):
        i -= 1
    if i == first:
        return None
    return _trim_zh(form, Span(toks[first].start, toks[i - 1].end))


def _adverbial(toks: list[Token], i: int) -> bool:
    """An adjective, pronoun or time word (每年, 平均) that stands between a noun and the figure."""
    j = i
    while j >= 0 and toks[j].tag in ("a", "r", "t"):
        j -= 1
    return j < i and j >= 0 and _nounish(toks[j].tag)


def _counted_verb(toks: list[Token], at: int) -> bool:
    """A verb right after a counted figure names what is counted (825宗申请之中), unless it is a
    change or a link (由120件增加到980件) or a complement follows it (8.2万件创新高)."""
    if at >= len(toks) or toks[at].tag not in ("v", "vn") or toks[at].word in _LINKING_WORDS | _COMPARING:
        return False
    after = toks[at + 1] if at + 1 < len(toks) else None
    return after is None or not (after.tag in ("m", "a") or after.word in ("到", "至", "达"))


def ends_with_noun_zh(form: str, start: int, end: int) -> bool:
    """Whether a noun stands right before `end` (a linking word such as 总计 or 达 is none)."""
    toks = _tokens(form, start, end)
    return bool(toks) and _nounish(toks[-1].tag) and toks[-1].word not in _LINKING_WORDS


def subject_zh(form: str, start: int, end: int) -> Span | None:
    """The noun phrase a clause opens with, after its time, place and linking words (申请件数自2020年起
    逐年上升: 申请件数): what a figure of a later clause that names nothing counts."""
    toks = _tokens(form, start, end)
    i = 0
    while i < len(toks) and (
        toks[i].tag in ("t", "m", "p", "x", "c", "d", "r", "f", "q", "uj", "ns")
        or toks[i].word in _LINKING_WORDS
    ):
        i += 1
    first = last = i
    while last < len(toks) and (
        (
            (_nounish(toks[last].tag) or toks[last].tag in ("v", "vn", "a"))
            and toks[last].word not in _LINKING_WORDS | _PREDICATES
        )
        # 获得贷款的高新技术企业和科技型中小企业: a modifier's 的, and nouns joined by 和, go on
        or (last > first and toks[last].word in _JOINING | {"的"} and last + 1 < len(toks))
    ):
        if toks[last].word == "的":
            first = last + 1  # the head noun after the modifier is what is counted
        last += 1
    while last > first and not _nounish(toks[last - 1].tag):
        last -= 1
    if last == first:
        return None
    return _trim_zh(form, Span(toks[first].start, toks[last - 1].end))


_LINKING_CHARS = frozenset(w for w in _LINKING_WORDS if len(w) == 1) - {"总"}
_SCOPE = re.compile(
    r"(?:年度)?(?:全市|全省|全区|全县|全国|本市|本省|本区|我市|我省|其中|累计|共计|合计|总计|共)"
)


def _trim_zh(form: str, span: Span) -> Span | None:
    """Scope words (全市, 累计) at the start belong to place and kind, not to the measure."""
    m = _SCOPE.match(form, span.start, span.end)
    start = m.end() if m else span.start
    end = span.end
    if form[end - 1] in _LINKING_CHARS and not in_dictionary(form[end - 2 : end]):
        end -= 1  # 年运营额超千万元: jieba glues 额超 into one word; 功能 and 许可 are words
    return Span(start, end) if end - start >= 2 else None
