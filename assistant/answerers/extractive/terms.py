"""The question's key terms as a passage meets them: joined names, weights, and the credit a
passage earns for each group of alternatives."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Set as AbstractSet

from assistant.expansion import ABSENT_THING_WEIGHT, BORROWED_WEIGHT
from assistant.names import resolved
from assistant.question import Question
from index.analysis import BIGRAM_PREFIX, CONCEPT_PREFIX, FUNCTION_CHARS, bigrams, stem
from index.glossary import default_glossary, on_change
from index.keyword import KeywordIndex

# Named things weigh more than generic terms; words that only frame a question weigh less.
_KIND_WEIGHT = {"org": 1.5, "programme": 1.5, "term": 1.0, "unit": 0.8, "frame": 0.4}
_NAMED_KINDS = ("org", "programme")
MIN_NAME_CHARS = 2  # a run of single characters the collection holds together is a name from this length
UNKNOWN_TERM = 0.75  # a term no chunk holds weighs this share of the rarest possible term
# A Chinese word a passage lacks earns PARTIAL_CREDIT of its weight times the share of its
# characters the passage holds, when that share is at least PARTIAL_SHARE.
PARTIAL_SHARE, PARTIAL_CREDIT = 0.5, 0.5


def _kind(token: str) -> str | None:
    if not token.startswith(CONCEPT_PREFIX):
        return None
    concept = default_glossary().concepts.get(token[len(CONCEPT_PREFIX) :])
    return concept.kind if concept else None


def named_groups(question: Question) -> list[int]:
    """Groups that name an organisation or a programme: a passage must be about them."""
    return [g for g, group in enumerate(question.groups) if any(_kind(t) in _NAMED_KINDS for t in group)]


def joined_groups(question: Question, keyword: KeywordIndex) -> list[tuple[str, ...]]:
    """The question's groups, with each lone character jieba cut off a word joined to the word
    after or before it where the collection holds the two together (their bigram is indexed):
    班卡雀 + 鲷, 麦 + 银汉鱼, but not 陈荣捷 + 卒. The joined name alone stands for its group, so a
    passage about another 银汉鱼 earns only partial credit."""
    groups = list(question.groups)
    for tokens, names in resolved(question.spelled, lambda pair: keyword.idf(BIGRAM_PREFIX + pair) > 0):
        groups = [g for g in groups if g[0] not in tokens] + [names]  # Wang Ju: 王聚
    for char, before, after in question.joins:
        if not before and not after:
            # A run of single characters: the stretches of it the collection holds together are names.
            piece = char[0]
            for c in char[1:] + " ":
                if c != " " and keyword.idf(BIGRAM_PREFIX + piece[-1] + c) > 0:
                    piece += c
                    continue
                if len(piece) >= MIN_NAME_CHARS:
                    groups.append((piece,))
                piece = c
            continue
        for word, joined, pair in (
            (after, char + after, char + after[:1]),
            (before, before + char, before[-1:] + char),
        ):
            g = next((g for g, group in enumerate(groups) if word and group[0] == word), None)
            if g is not None and keyword.idf(BIGRAM_PREFIX + pair) > 0:
                groups[g] = (joined,)
                break
    return groups


def _weights(
    groups: list[tuple[str, ...]], keyword: KeywordIndex, question: Question
) -> tuple[dict[str, float], list[float], list[float]]:
    """Weight of every alternative and two weights of every group: from the question's own forms
    (a rare translation, an English gloss of a Chinese word, must not make the word weigh more than
    it does in its language), and from the best alternative the collection knows, for when passages
    in the other language, which only translations reach, compete.
    Category words (哪一国家) weigh as frames, dictionary translations less than the word itself."""
    n = max(len(keyword), 1)
    unknown = UNKNOWN_TERM * math.log(1 + (n + 0.5) / 0.5)  # the IDF of a term in no chunk, scaled
    weights: dict[str, float] = {}
    known: set[str] = set()  # alternatives the collection or the glossary knows
    for group in groups:
        for token in group:
            idf, kind = keyword.idf(token), _kind(token)
            if idf > 0 or kind is not None:
                known.add(token)
            kind = "frame" if token in question.categories else kind or "term"
            weights[token] = (idf if idf > 0 else unknown) * _KIND_WEIGHT.get(kind, 1.0)
            if token in question.borrowed:
                weights[token] *= BORROWED_WEIGHT
    own_weights, any_weights = [], []
    for group in groups:
        found = [weights[t] for t in group if t in known]
        own = [weights[t] for t in group if t in known and t not in question.borrowed]
        fallback = [weights[group[0]]]  # nothing known: the first form, at the unknown-term weight
        scale = 1.0
        if group[0] in question.things and not any(_in_collection(t, keyword) for t in group):
            scale = ABSENT_THING_WEIGHT  # a thing no article names, in either language (hospitals)
        own_weights.append(scale * max(own or found or fallback))
        any_weights.append(scale * max(found or fallback))
    return weights, own_weights, any_weights


def _in_collection(token: str, keyword: KeywordIndex) -> bool:
    """Some chunk holds the token (a Chinese word: as a word or as all its character pairs)."""
    if keyword.idf(token) > 0:
        return True
    pairs = [] if token.isascii() else bigrams(token)
    return bool(pairs) and all(keyword.idf(p) > 0 for p in pairs)


# 现 too: jieba glues it to a name before it (白岳峰现在效力于…).
_NO_CREDIT_CHARS = FUNCTION_CHARS | {"现"}


@functools.lru_cache(maxsize=1)
def _unit_forms(digest: str) -> tuple[str, ...]:
    """The plain forms of the glossary's units (of the glossary with this digest)."""
    units = [c for c in default_glossary().concepts.values() if c.kind == "unit"]
    return tuple(f for c in units for f in c.zh + c.en if not f.startswith("re:"))


@functools.lru_cache(maxsize=65536)
def _unit_spans(form: str) -> tuple[tuple[int, int, str], ...]:
    """Where a sentence names a unit of the glossary (每万人口, per 10,000 population), and which."""
    if not any(f in form for f in _unit_forms(default_glossary().digest)):
        return ()
    return tuple(
        (m.start, m.end, CONCEPT_PREFIX + m.concept.id)
        for m in default_glossary().mentions(form)
        if m.concept.kind == "unit"
    )


on_change(_unit_spans.cache_clear)
_LATIN_WORD = re.compile(r"[a-z]+")


def _within_units(token: str, form: str, asked: AbstractSet[str]) -> bool:
    """`token` stands in `form` only inside a unit the question does not ask (人口 in 每万人口, a
    per-capita base, not a population; popul in per 10,000 population): there it names no measure."""
    spans = [(a, b) for a, b, cid in _unit_spans(form) if cid not in asked]
    if not spans:
        return False
    if token.isascii():
        places = [(m.start(), m.end()) for m in _LATIN_WORD.finditer(form) if stem(m.group()) == token]
    else:
        places = [(i, i + len(token)) for i in range(len(form)) if form.startswith(token, i)]
    return bool(places) and all(any(a <= i and j <= b for a, b in spans) for i, j in places)


def _credit(
    group: tuple[str, ...],
    tokens: frozenset[str],
    form: str,
    weights: dict[str, float],
    cap: float,
    borrowed: AbstractSet[str] = frozenset(),
    asked: AbstractSet[str] = frozenset(),
) -> float:
    """Credit a passage earns for one group: the weight of the best alternative it contains, or
    for a Chinese word it does not contain, half of it times the share of the word's characters it
    does contain, when that is most of them (names jieba cut with a neighbour, 白岳峰现). A
    dictionary translation (`borrowed`) counts only whole: 市长 is not 市…局长. A word standing only
    inside a unit the question (its concept tokens: `asked`) does not ask earns nothing
    (`_within_units`)."""
    best = 0.0
    for token in group:
        weight = min(weights[token], cap)
        held = token in tokens or (not token.isascii() and len(token) >= 2 and token in form)
        if held and token[0] not in "~#_" and _within_units(token, form, {*group, *asked}):
            continue  # its characters are all there, so no partial credit either
        if held:
            best = max(best, weight)
        elif not token.isascii() and token[0] not in "~#_" and token not in borrowed:
            chars = [c for c in token if c not in _NO_CREDIT_CHARS]
            if chars:
                share = sum(1 for c in chars if c in form) / len(chars)
                if share >= PARTIAL_SHARE:  # most of the word: a name cut with a neighbour, 儿子 / 之子
                    best = max(best, weight * (share if share == 1.0 else PARTIAL_CREDIT * share))
    return best
