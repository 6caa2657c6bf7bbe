"""The sides of a comparison or the items of a sum, read from the question's wording.

"近三年大连审结的知识产权司法案件和办结的人民调解案件哪个更多?" has the sides 近三年大连审结的知识产权
司法案件 and (近三年大连)办结的人民调解案件; "Which is larger in Dalian: the risk compensation fund or
the IP investment subsidy fund?" has two funds and the context 'in Dalian'. Words the sides share
(a place, a period, a measure asked after 哪个城市) are added to each side that lacks them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.question import BROAD_PLACES
from index.analysis import search_form
from index.glossary import default_glossary
from index.normalize import to_simplified

_ZH_ASK = re.compile(
    r"[,，]?\s*(?:哪|谁|誰|合计|合計|总计|總計|总共|總共|一共|共有|共计|共計|共(?:多少|几|幾)|加起来|是多少|有多少|多少)"
)
_ZH_JOIN = re.compile(r"和|与|與|及|以及|跟|还是|還是|、")
_ZH_TAIL_ASK = re.compile(
    r"^(?:哪|谁|誰)(?:个|個|一个|一個|一类|一類|类|類|一方|一年|年)?(?:城市|地方|地区|地區)?的?|"
    r"(?:更|较|較)?(?:高|多|大|快|低|少|小|慢|强|強)[?？。]?$|"
    r"^(?:合计|合計|总计|總計|总共|總共|一共|共有|共计|共計|共|加起来)|(?:是|有)?多少[件家个個项項元钱錢笔筆人所]?[?？。]?$|[?？。]$"
)
# How many of two kinds of thing took part, asked before them (多少家学校和品牌指导站参加).
_ZH_ASKED_FIRST = re.compile(
    r"^(?:有|是)?(?:多少|几|幾)(?:家|个|個|所|项|項|件)([^,，。?？]{1,30}?(?:和|与|與|及)[^,，。?？]{1,30}?)"
    r"(?:参加|參加|参与|參與|出席|入选|入選|上榜)"
)
_ZH_CONTEXT = re.compile(
    r"近[一二三四五六七八九十两\d]+年|(?:19|20)\d{2}年(?:底|末)?|截至|累计|累計|今年|去年|"
    r"\b(?:in )?(?:the )?(?:past|last) (?:\w+ )?years?\b|\b(?:this|last) year\b",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d{2}年?")
_ZH_REPORT = re.compile(
    r"(?:(?:19|20)\d{2}年)?的?[^,，。?？和与與及、\d]{0,6}?(?:报道|報道|报告|報告|文章)(?:中|里|裡)?的?[,，]?"
)
_EN_COMMA = re.compile(r",(?!\d{3}\b)")  # a thousands separator (per 10,000 people) parts no sides
_EN_SPLIT = re.compile(r",?\s+(?:or|and)\s+|,(?!\d{3}\b)\s*", re.I)
_EN_ASK = re.compile(
    r"^(?:which|what)\b.*?(?::|,)\s*|^(?:how many|how much)\b[^:]*?:\s*|^how many\s+|^how much\s+|"
    r"\s*\bin total\b|"
    r"\b(?:combined|altogether)\b|\?$",
    re.I,
)
_EN_FILLER = re.compile(
    r"\b(?:which|what|is|was|were|are|has|have|had|does|do|did|grew|grow|larger|higher|bigger|more|"
    r"greater|faster|lower|smaller|fewer|less|the)\b|[,:?]",
    re.I,
)
_EN_TOTAL_OF = re.compile(
    r"\b(?:combined|total|sum of the)\s+(?:amount|number|value|sum)s?\s+of\s+(.+?)\s*\??$", re.I
)
_EN_AUX = re.compile(r"\s+(?:does|do|did|has|have|had|is|are|was|were)\s+", re.I)


@dataclass
class Sides:
    sides: list[str]  # each side as a phrase of its own, context added
    measure: str  # what is counted where the sides are places (每万人发明专利拥有量)
    places: bool  # the sides are places: each is answered as a question of its own


def _place_only(text: str) -> bool:
    form = search_form(text)
    glossary = default_glossary()
    rest = form
    for m in sorted(glossary.mentions(form), key=lambda m: m.start, reverse=True):
        if m.concept.kind == "place":
            rest = rest[: m.start] + rest[m.end :]
    return bool(glossary.places(form)) and len(re.sub(r"\W|市|the|city", "", rest)) <= 1


def context_words(text: str) -> list[str]:
    """The places and periods `text` names (大连, 近三年, 2021年, 截至): the context of what it asks."""
    form = to_simplified(text)
    glossary = default_glossary()
    found = [form[m.start : m.end] for m in glossary.mentions(search_form(form)) if m.concept.kind == "place"]
    return found + _ZH_CONTEXT.findall(form)


def zh_sides(text: str) -> Sides | None:
    ask = _ZH_ASK.search(text)
    if ask is None or ask.start() == 0:
        return None
    body, tail = text[: ask.start()].strip(" ,，"), text[ask.start() :].strip(" ,，")
    body = _ZH_REPORT.sub("", body).strip(" ,，")  # 2025年的报道中: where it is said, not what is counted
    parts = [p.strip(" 的,，") for p in _ZH_JOIN.split(body) if p.strip(" 的,，")]
    setting = parts[0] if parts else body  # its place and period are every side's
    asked_first = _ZH_ASKED_FIRST.search(tail)
    if len(parts) < 2 and asked_first is not None:  # 有多少家学校和品牌指导站参加: the items follow
        parts = [p.strip(" 的") for p in _ZH_JOIN.split(asked_first.group(1)) if p.strip(" 的")]
        tail = ""
    if len(parts) < 2:
        return None
    # 宣传周主题日上,参加的品牌指导站: what comes before a comma sets the scene; the item follows it
    parts[0] = re.split(r"[,，]", parts[0])[-1].strip(" 的") or parts[0]
    measure = _ZH_TAIL_ASK.sub("", tail.strip())
    measure = _ZH_TAIL_ASK.sub("", measure).strip(" 的,，")
    for k in range(1, len(parts)):  # 教育试点和示范: the short one shares the head of the first
        if len(parts[k]) <= 2 and len(parts[0]) > len(parts[k]) + 2:
            parts[k] = parts[0][: -len(parts[k])] + parts[k]
    if _place_only(parts[0]) and not _place_only(parts[-1]):
        lead = _leading_place(parts[-1])  # 大连和长沙2024年…金额: the measure follows the last place
        if lead:
            parts[-1], measure = lead, parts[-1][len(lead) :].strip(" 的") + measure
    pure = all(_place_only(p) for p in parts)
    places = pure or all(_place_only(p) or _period_only(p) for p in parts)
    shared = context_words(setting)
    sides = []
    for p in parts:
        named = bool(default_glossary().places(search_form(p)))
        dated = bool(_YEAR.search(p))
        missing = "".join(
            c
            for c in shared
            if c not in to_simplified(p)
            and not pure
            and not (named and default_glossary().places(c))
            and not (dated and _YEAR.search(c))  # a side naming its own year (2021年和2022年)
        )
        sides.append(missing + p)
    return Sides(sides, measure, places)


def _period_only(text: str) -> bool:
    """A side that is a place and a year, or a year alone (大连2021年, 2022年): a context, not a thing."""
    rest = _YEAR.sub("", to_simplified(text))
    return bool(_YEAR.search(text)) and (not rest.strip() or _place_only(rest))


def _leading_place(text: str) -> str:
    form = search_form(text)
    for m in default_glossary().mentions(form):
        if m.concept.kind == "place" and m.start == 0:
            return text[: m.end]
    return ""


# … compare with 2018: one thing at two times, a change rather than two sides
_EN_PERIOD_ONLY = re.compile(r"\s*(?:(?:in|the|that|of|year)\s+)*(?:19|20)\d\d\s*", re.I)
_EN_COMPARE = re.compile(
    r"^how (?:does|do|did|is|are|was|were) (.+?) compare (?:with|to|against) (.+?)\??$", re.I
)


def en_sides(text: str) -> Sides | None:
    form = " ".join(text.split())
    commas = [m.start() for m in _EN_COMMA.finditer(form)]
    cut = form.rfind(":") if ":" in form else (commas[-1] if commas else -1)
    compared = _EN_COMPARE.search(form)
    if compared is not None and not _EN_PERIOD_ONLY.fullmatch(compared.group(2)):  # how does X compare with Y
        parts = [re.sub(r"^(?:the|a|an)\s+", "", p.strip(" .?"), flags=re.I) for p in compared.groups()]
        return Sides(parts, "", all(_place_only(p) for p in parts))
    if cut > 0 and re.search(r"\sor\s", form[cut:]):
        body, rest = form[cut + 1 :], form[:cut]
    elif (total := _EN_TOTAL_OF.search(form)) is not None and re.search(r"\sand\s", total.group(1)):
        body, rest = total.group(1), ""  # the combined amount of X and Y
    else:
        core = _EN_ASK.sub(" ", form).strip()
        aux = _EN_AUX.search(core)
        if aux is None or not re.search(r"\sand\s", core[: aux.start()]):
            return None
        body, rest = core[: aux.start()], core[aux.end() :]
    parts = _listed(body) or [p.strip(" .?") for p in _EN_SPLIT.split(body) if p.strip(" .?")]
    parts = _modifiers_joined([re.sub(r"^(?:the|a|an)\s+", "", p, flags=re.I) for p in parts])
    if len(parts) < 2:
        return None
    rest = " ".join(_EN_FILLER.sub(" ", rest).split())
    places = all(_place_only(p) for p in parts)
    return Sides([f"{p} {rest}".strip() for p in parts], rest, places)


def _listed(body: str) -> list[str]:
    """A list of items with commas whose last names the head noun the others share ('patent and
    trademark administrative, arbitration and people's mediation cases': three kinds of cases); an
    'and' before the last comma joins modifiers of one item. Empty where `body` has no comma."""
    segments = [s.strip(" .?") for s in _EN_COMMA.split(body) if s.strip(" .?")]
    if len(segments) < 2:
        return []
    last = re.split(r"\s+(?:and|or)\s+", re.sub(r"^(?:and|or)\s+", "", segments[-1]), maxsplit=1)
    items = segments[:-1] + last
    head = items[-1].split()[-1]
    if not head.lower().endswith("s") or len(items[-1].split()) < 2:
        return items
    return [i if i.split()[-1].lower().endswith("s") else f"{i} {head}" for i in items]


def _modifiers_joined(parts: list[str]) -> list[str]:
    """'patent and trademark administrative cases' is one item: a lone singular word before 'and'
    modifies the head of the phrase after it (schools and universities are two)."""
    out: list[str] = []
    pending = ""
    for part in parts:
        if pending:
            part = f"{pending} and {part}"
            pending = ""
        if (
            " " not in part
            and not part.lower().endswith("s")
            and not _place_only(part)
            and part is not parts[-1]
        ):
            pending = part
            continue
        out.append(part)
    return out + ([pending] if pending else [])


def read_sides(text: str, english: bool) -> Sides | None:
    """The sides (two or more) the question compares or adds up, None where it names one."""
    found = en_sides(text) if english else zh_sides(text)
    if found is not None:
        return found
    glossary = default_glossary()
    form = search_form(text)
    named = [m for m in glossary.mentions(form) if m.concept.kind == "place"]
    # A place holding another one named (China, Changsha) is not a side of its own.
    ids = {m.concept.id for m in named}
    named = [
        m
        for m in named
        if m.concept.id not in BROAD_PLACES
        and not any(m.concept.id in glossary.ancestors(o) for o in ids - {m.concept.id})
    ]
    if len({m.concept.id for m in named}) < 2:
        return None
    rest = form
    for m in sorted(named, key=lambda m: m.start, reverse=True):
        rest = rest[: m.start] + rest[m.end :]
    first: dict[str, str] = {}
    for m in named:
        first.setdefault(m.concept.id, form[m.start : m.end])
    return Sides(list(first.values()), rest, True)
