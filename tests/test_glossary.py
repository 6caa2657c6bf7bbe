"""The bilingual glossary is data: it must parse, and its forms must find what they name."""

from __future__ import annotations

import pytest

from index.glossary import Glossary, GlossaryError, default_glossary, parse_glossary
from index.normalize import normalize


def test_shipped_glossary_parses_with_both_languages_for_every_concept():
    glossary = default_glossary()
    assert len(glossary.concepts) > 150
    for concept in glossary.concepts.values():
        assert concept.zh and concept.en


def test_every_plain_form_finds_its_own_concept():
    glossary = default_glossary()
    for concept in glossary.concepts.values():
        for form in concept.zh + concept.en:
            if form.startswith("re:"):
                continue
            assert concept.id in glossary.concept_ids(normalize(form)), (concept.id, form)


def test_terms_cross_languages_and_scripts():
    glossary = default_glossary()
    for english, chinese in [
        ("pledge financing", "质押融资"),
        ("invention patents per 10,000 people", "每萬人發明專利"),
        ("Dalian", "大連"),
        ("risk compensation funds", "风险补偿基金"),
    ]:
        shared = set(glossary.concept_ids(normalize(english))) & set(glossary.concept_ids(normalize(chinese)))
        assert shared, (english, chinese)


def test_english_forms_match_whole_words_with_endings():
    glossary = default_glossary()
    assert "deal" in glossary.concept_ids("three deals were signed")
    assert "hosting" in glossary.concept_ids("business hosted by agencies")
    assert "patent" not in glossary.concept_ids("patently obvious")


def test_places_know_the_larger_place_they_lie_in():
    glossary = default_glossary()
    assert {"liaoning", "northeast"} <= glossary.ancestors("dalian")
    assert "dalian" in glossary.ancestors("jinpu")
    for concept in glossary.concepts.values():
        if concept.within:
            assert glossary.concepts[concept.within].kind == "place"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("only\tthree\tfields", "4 or 5"),
        ("x\tnoun\t词\tword", "unknown kind"),
        ("x\tterm\t\tword", "Chinese and English"),
        ("x\tterm\t词\tword\tdalian", "only places"),
        ("x\tterm\tre:(unclosed\tword", "bad pattern"),
    ],
)
def test_a_malformed_line_is_rejected_with_its_line_number(line: str, message: str):
    with pytest.raises(GlossaryError, match=message):
        parse_glossary(f"# header\n{line}\n")


def test_regular_expression_forms_may_use_alternation():
    glossary = Glossary(parse_glossary("rank\tterm\tre:第(?:\\d+|几)位|排名\trank\n"))
    assert glossary.concept_ids("跃居第32位") == ["rank"]
    assert glossary.concept_ids("排第几位") == ["rank"]


def test_an_acronym_takes_only_a_plural_s():
    glossary = Glossary(parse_glossary("cas\torg\t中科院\tcas\ncase\tterm\t案件\tcase\n"))
    assert glossary.concept_ids(normalize("How many cases were settled?")) == ["case"]
    assert "cas" in glossary.concept_ids(normalize("the CAS institutes"))


def test_an_english_form_glued_to_chinese_characters_is_still_a_word():
    glossary = Glossary(parse_glossary("tisc\torg\t技术与创新支持中心\ttisc\niso\tterm\t国际标准\tiso\n"))
    assert glossary.concept_ids(normalize("大连化物所TISC中心入选")) == ["tisc"]
    assert glossary.concept_ids(normalize("首张ISO证书")) == ["iso"]
    assert glossary.concept_ids(normalize("the tiscs")) == ["tisc"]
    assert glossary.concept_ids(normalize("isolated")) == []  # still not part of a longer Latin word


def test_an_agent_noun_is_not_its_verb():
    glossary = Glossary(parse_glossary("reporter\trole\t记者\treporter\nregister\tterm\t登记\tregister\n"))
    assert glossary.concept_ids(normalize("Which report included it?")) == []  # a report is no reporter
    assert glossary.concept_ids(normalize("two reporters asked")) == ["reporter"]
    assert glossary.concept_ids(normalize("registered")) == ["register"]  # the verb's endings still match


def test_english_forms_match_other_word_forms_through_their_stems():
    glossary = Glossary(
        parse_glossary(
            "legislation\tterm\t立法\tlegislation\ncultivate\tterm\t培育\tcultivate|patent cultivation\n"
        )
    )
    assert glossary.concept_ids(normalize("Which law is Dalian legislating?")) == ["legislation"]
    found = glossary.mentions(normalize("the cultivation of patents, cultivating patents"))
    assert [m.concept.id for m in found] == ["cultivate", "cultivate"]
    # Word by word, never across punctuation, and each mention once.
    assert glossary.concept_ids(normalize("patents; cultivation")) == ["cultivate"]


def test_a_post_a_person_holds_is_its_own_kind():
    (concept,) = parse_glossary("director\trole\t局长\tdirector\n")
    assert concept.kind == "role"
