"""The Question: what a question asks, analysed once (assistant.question.analysis) and passed on."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.question.answer_types import AnswerType


@dataclass
class Question:
    text: str  # what is searched: the question typed, or a follow-up made standalone
    language: str
    form: str
    asked: str = ""  # the words typed (differs from `text` for a follow-up)
    asked_language: str = ""  # the language of `asked`, which the answer is written in
    groups: list[tuple[str, ...]] = field(default_factory=list)
    places: set[str] = field(default_factory=set)  # glossary place ids
    other_places: set[str] = field(default_factory=set)  # place names jieba knows, not in the glossary
    years: set[str] = field(default_factory=set)
    wants_figure: bool = False
    wants_person: bool = False
    # Alternatives taken from the general dictionary (weaker than the word itself), and the words
    # it knows as nouns: a thing no passage holds counts more against an answer.
    borrowed: set[str] = field(default_factory=set)
    things: set[str] = field(default_factory=set)
    counted: str | None = None  # the unit a "how many" names (多少件 -> 件)
    kind: AnswerType | None = None  # the kind of answer asked (a birthplace, a year), when its wording says
    # Pieces of names jieba does not know: (characters, word before, word after). A run of single
    # characters comes with neither word; a lone character with the words around it, either may be "".
    joins: list[tuple[str, str, str]] = field(default_factory=list)
    # Words naming the category of the answer (哪一国家, 什么动物): the answer names one of them,
    # seldom the word itself.
    categories: set[str] = field(default_factory=set)
    # The word ending a phrase that asks what something is like (怎样的打击侵权态势: 态势): the
    # answer describes it, so it names it.
    described: str | None = None
    # For a question asking when an article came out: the groups naming the publishing (发布,
    # published), which the article's date line answers.
    dateline: set[str] = field(default_factory=set)
    # Chinese names an English question spells in pinyin: (syllables, the group tokens of its words).
    spelled: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
