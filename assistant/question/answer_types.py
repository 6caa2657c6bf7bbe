"""What kind of answer a question asks for, read from its question words, and whether a sentence
holds that kind of answer.

A question like 陈荣捷是哪里人 names the person but not the answer: the sentence that answers it
is the one that says where someone comes from (广东开平人), whatever else it says. The patterns
are Chinese question words and the phrasing an answer of that kind takes; all run on the search
form (Simplified, half-width, lower case), so they read Traditional text too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CJK = r"[\u4e00-\u9fff]"
_ERA_YEAR = _CJK + r"{1,4}[元一二三四五六七八九十]{1,3}年"  # 顺治十一年, 道光元年
# A date as English text writes it: 2022-08-05, 5 August, on August 5 ("may" is left out: a modal).
_EN_DATE = (
    r"(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)|\b(?:january|february|march|april|june|july|august|"
    r"september|october|november|december)\b"
)


@dataclass(frozen=True)
class AnswerType:
    name: str
    asked: re.Pattern[str]  # the question asks for this kind of answer
    found: re.Pattern[str]  # a sentence holds this kind of answer
    strict: bool = False  # a sentence without it is unlikely to answer at all
    lead: bool = False  # the first sentence of a document usually answers it (who or what X is)
    # The words that state this kind of answer outright (位于 for a place, 又称 for another name):
    # a sentence holding them fits better than one that merely names a town or a bracket.
    strong: re.Pattern[str] | None = None


# Tried in order: the first whose question pattern matches is the question's type.
TYPES: tuple[AnswerType, ...] = (
    AnswerType(
        "parent",
        re.compile(
            r"(?:谁|哪位|何人)的(?:儿子|女儿|孩子|子女|后代|后裔|孙子|长子|次子)|(?:父亲|母亲|父母|生父|生母)是(?:谁|哪)"
        ),
        re.compile(
            r"之子|之女|之孙|儿子|女儿|[长次三四五六七幼独嫡庶养]子|[长次三幼养]女|父亲|母亲|生父|生母|所生|其父|其母|父为|母为"
        ),
        strict=True,
    ),
    AnswerType(
        "alias",
        re.compile(
            r"(?:又|也|还|亦|另|通常|一般|俗|别)(?:可以|可|能|会)?(?:叫|称|名|被称为|被称作|称作|称为|被叫做|叫做)|别名|别称|简称|全称|"
            r"原名|本名|旧称|古称|学名|外号|绰号|昵称|英文名"
        ),
        re.compile(
            r"又称|又名|又叫|又作|亦称|亦名|亦作|也称|也叫|也作|被称为|别名|别称|俗称|俗名|简称|全称|原名|本名|旧称|"
            r"古称|旧名|学名|通称|或称|统称|昵称|外号|绰号|称为|称作|称之为|英语|英文|[(（]"
        ),
        strict=True,
        strong=re.compile(
            r"又称|又名|又叫|亦称|亦名|也称|也叫|别名|别称|俗称|俗名|通称|或称|旧称|古称|原名|简称|全称"
        ),
    ),
    AnswerType(
        "courtesy",
        re.compile(r"的字(?:是|叫|为)|字什么|的号(?:是|叫|为)|号什么|字号"),
        re.compile(r"(?:^|[，,（(;；])(?:字|号)" + _CJK + r"{1,3}"),
        strict=True,
    ),
    AnswerType(
        "origin",
        re.compile(
            r"哪里人|哪儿人|何地人|何处人|什么地方人|哪国人|哪个国家的人|籍贯|祖籍|出生地|出生在哪|出生于哪|生于哪|在哪里?出生"
        ),
        re.compile(_CJK + r"人(?:[，,。；;）)]|$)|籍贯|祖籍|出生于|生于|出生在|出身于|出身"),
        strict=True,
    ),
    AnswerType(
        "year",
        re.compile(r"哪一?年|何年|哪个年份|什么年份|年份是|哪个年代|什么年代|[西公]元几年"),
        re.compile(r"\d{3,4}年|(?<!\d)\d{3,4}(?!\d)|" + _ERA_YEAR + r"|年代|世纪"),
        strict=True,
    ),
    AnswerType(
        "time",
        re.compile(
            r"什么时候|何时|什么时间|哪个时间|哪天|哪一天|几月|几号|几时|哪个月|什么日子|哪个朝代|什么朝代|哪个时期|"
            r"什么时期|哪个世纪|哪个阶段|日期"
        ),
        re.compile(
            r"\d+年|\d+月|\d+日|[一二三四五六七八九十]+月|"
            + _EN_DATE
            + "|"
            + _ERA_YEAR
            + r"|年代|世纪|时期|朝|年间|期间|时代|之时|之际"
        ),
        strict=True,
    ),
    AnswerType(
        "organisation",
        re.compile(
            r"(?:哪|什么|何)[家个些一所]?(?:机构|单位|部门|组织|公司|企业|研究所|研究院|高校|大学|银行|协会)|"
            r"\bwhich (?:organi[sz]ation|institution|agenc(?:y|ies)|bod(?:y|ies)|department|bureau|institute|"
            r"universit(?:y|ies)|compan(?:y|ies)|bank)|\bwhat (?:organi[sz]ation|institution|agency|body)"
        ),
        # An organisation's name ends in what it is (…研究所, …局, Institute of …), in either language.
        re.compile(
            _CJK + r"(?:研究所|研究院|科学院|大学|学院|委员会|协会|学会|联合会|公司|集团|银行|支行|分行|法院|"
            r"检察院|政府|基金会|办公室|总局|局|厅|署|中心|组织)|\b(?:institute|academy|university|college|bureau|"
            r"administration|ministry|office|cent(?:er|re)|association|society|bank|court|commission|committee|"
            r"company|corporation|council|federation|agency|department|government)s?\b"
        ),
    ),
    AnswerType(
        "standing",
        re.compile(
            r"(?:什么|何种|怎样的?|怎么样的?)(?:地位|水平|位次)|处于什么|\bwhat (?:position|standing|status)\b"
        ),
        # How something ranks: first, leading, only one of its kind.
        re.compile(
            r"领先|领跑|前列|前茅|首位|第一|首个|首家|首批|首次|首张|唯一|龙头|位居|第\d+位|第[一二三四五六七八九十]+位|"
            r"\b(?:leading|lead|forefront|top|first|only|ranked|ranks)\b"
        ),
    ),
    AnswerType(
        "place",
        re.compile(
            r"在哪(?![个一些家种类项所部位条座支门])|位于哪|位于什么|哪个(?:省|市|县|区|镇|国家|城市|地区|地方|位置)|什么地方|何处|何地|地址|地点|所在地|"
            r"哪里|哪儿|发源地|位置在"
        ),
        re.compile(
            r"位于|坐落|座落|地处|设于|设在|地址|境内|附近|之间|地底|以[东西南北]|[东西南北](?:部|侧|面|岸|端)|"
            + _CJK
            + r"(?:省|市|县|区|镇|乡|村|州|国|路|街|岛|山|湖|河|湾)"
        ),
        strong=re.compile(r"位于|坐落|座落|地处|地址|发源于|起源于|起源自|发现于"),
    ),
    AnswerType(
        "reason",
        re.compile(r"为什么|为何|为啥|原因|什么缘故|因为什么|由于什么|何故"),
        re.compile(r"因为|由于|因此|所以|为了|原因|以致|导致|致使|因(?!此)|故"),
    ),
    AnswerType(
        "purpose",
        re.compile(r"作用|用途|目的|用处|功能|功用|用来做什么|干什么用"),
        re.compile(r"用于|用来|用以|用作|作用|目的|为了|以便|旨在|用途|功能|可以|能够|负责"),
    ),
    AnswerType(
        "definition",
        re.compile(r"定义|是指什么|指的是什么|是什么意思|什么意思|含义|意思是什么|^什么是"),
        re.compile(r"是指|指的是|定义为|定义是|意为|意指|意思是|是一种|是一个|是一类|为一种|系指|是"),
        lead=True,
        strong=re.compile(r"是指|指的是|定义为|定义是|意为|意指|意思是|系指"),
    ),
    AnswerType(
        "occupation",
        re.compile(r"职业|从事什么|做什么工作|什么工作|什么身份|身份是|是做什么的|是干什么的|是什么人"),
        re.compile(
            r"运动员|演员|歌手|作家|画家|诗人|导演|编剧|主持人|模特|艺人|政治家|军事家|科学家|学者|教授|医生|律师|记者|"
            r"商人|企业家|教练|球员|官员|将领|将军|音乐家|艺术家|哲学家|史学家|历史学家|数学家|物理学家|化学家|工程师|"
            r"设计师|建筑师|漫画家|配音员|声优|偶像|制作人|作曲家|作词人|评论员|裁判|球证|[^\W\d_]{1,6}家(?:[，,。；;]|$)"
        ),
        strict=True,
        lead=True,
    ),
    AnswerType(
        "duration",
        re.compile(
            r"多久|多长时间|多长的?(?:期限|任期|周期|时限)|(?<!哪)几年(?!级)|多少年|几个月|多少个月|几天|多少天|"
            r"\bhow long\b|\bfor how many (?:years|months|weeks|days)\b"
        ),
        # A length of time: 四年, 3个月, 90天, two years (a year such as 2021年 is no duration).
        re.compile(
            r"(?<![\d.])\d{1,3}(?:\.\d+)?(?:个)?(?:年|个月|周|星期|天|小时)|[一二三四五六七八九十两半百]+(?:个)?(?:年|个月|周|星期|天|小时)|"
            r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[ -](?:years?|months?|weeks?|days?|hours?)\b"
        ),
    ),
)

_BY_NAME = {t.name: t for t in TYPES}
# "X是什么？" with nothing else asked: what X is, which the first sentence about X usually says.
_WHAT_IS = re.compile(r"^[^，,。？?！!是]{1,20}是(?:什么|啥|何物|哪种|哪一种|什么东西)[？?。!！]*$")
_IDENTITY = AnswerType("identity", _WHAT_IS, re.compile(r"是|为"), lead=True)

# Words that name the kind of answer asked (职业, 定义): the answering sentence states the answer
# itself, not the word, so they are not key terms the passage must hold.
ANSWER_CUES = frozenset(
    [
        "职业",
        "定义",
        "含义",
        "意思",
        "原因",
        "因为",
        "缘故",
        "籍贯",
        "别名",
        "别称",
        "名字",
        "名称",
        "年份",
        "年代",
        "时间",
        "时候",
        "日期",
        "朝代",
        "地方",
        "地点",
        "位置",
        "身份",
        "特点",
        "特征",
        "特色",
        "用途",
        "目的",
    ]
)


def answer_type(form: str) -> AnswerType | None:
    """The kind of answer a question (in search form) asks for, if its wording says."""
    for kind in TYPES:
        match = kind.asked.search(form)
        if match and not _modifies_noun(form, match):
            return kind
    if _WHAT_IS.match(form):
        return _IDENTITY
    return None


def _modifies_noun(form: str, match: re.Match[str]) -> bool:
    """地方 is also "local": 什么地方标准 asks which local standard, not where."""
    return match.group().endswith("地方") and noun_follows(form, match.end())


def noun_follows(form: str, position: int) -> bool:
    """A Chinese noun starts at `position`: the word before it qualifies that noun (地方 + 标准)."""
    rest = form[position : position + 8]
    if not rest or not re.match(_CJK, rest):
        return False
    import jieba.posseg  # loaded only here: its tagger costs ~0.3 s on first use

    first = next(iter(jieba.posseg.cut(rest, HMM=False)), None)
    return first is not None and first.flag.startswith("n")


def by_name(name: str) -> AnswerType | None:
    return _IDENTITY if name == "identity" else _BY_NAME.get(name)


def fits(kind: AnswerType, form: str) -> int:
    """How plainly the sentence (search form) holds an answer of this kind: 0 not, 1 it does,
    2 in the words that state it outright."""
    if kind.found.search(form) is None:
        return 0
    return 2 if kind.strong is not None and kind.strong.search(form) else 1
