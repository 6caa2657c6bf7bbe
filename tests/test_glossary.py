"""The bilingual glossary is data: it must parse, and its forms must find what they name."""

from __future__ import annotations

from pathlib import Path

import pytest

import index.collection_glossary as collection_module
import index.glossary as glossary_module
from index.collection_glossary import STORED_FILE, bring_collection_glossaries, load_collection_glossary
from index.glossary import Glossary, GlossaryError, default_glossary, parse_glossary, use_collection_glossary
from index.normalize import normalize

ARTICLES = Path(__file__).resolve().parents[1] / "docs" / "articles"


@pytest.fixture
def no_collection(monkeypatch: pytest.MonkeyPatch):
    """The code's glossary alone, as in a process that has opened no collection; restored after."""
    monkeypatch.setattr(glossary_module, "_collection", {})
    monkeypatch.setattr(collection_module, "_loaded", {})
    glossary_module.changed()
    yield
    monkeypatch.undo()
    glossary_module.changed()


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
    base = parse_glossary(glossary_module._base_text())
    district = parse_glossary("jinpu\tplace\t金普新区\tjinpu new district\tdalian\n", base)
    assert {"dalian", "liaoning"} <= Glossary([*base, *district]).ancestors("jinpu")
    for concept in glossary.concepts.values():
        if concept.within:
            assert glossary.concepts[concept.within].kind == "place"


def test_years_are_one_pattern_each_year_its_own_concept_in_both_languages():
    glossary = default_glossary()
    assert "year_2021" in glossary.concept_ids(normalize("In 2021, the pledge loans"))
    assert "year_2021" in glossary.concept_ids(normalize("2021年知识产权质押贷款"))
    assert "year_1998" in glossary.concept_ids(normalize("1998年"))  # no line per year
    assert "year_2035" in glossary.concept_ids(normalize("纲要(2022-2035)"))
    assert "year_2020" not in glossary.concept_ids(normalize("2021年"))
    for count in ("2000万元", "2000家企业", "iso2019", "20190"):
        assert not [c for c in glossary.concept_ids(normalize(count)) if c.startswith("year_")], count
    assert not [c for c in glossary.concepts if c.startswith("year_20")]


def test_a_family_needs_patterns_that_complete_its_id():
    with pytest.raises(GlossaryError, match="family"):
        parse_glossary("year_{}\tterm\tre:\\d{4}年\tyear\n")


def test_the_code_glossary_holds_the_domain_not_the_bundled_articles_names():
    base = parse_glossary(glossary_module._base_text())
    code = {c.id for c in base}
    bundled = {c.id for c in parse_glossary((ARTICLES / "glossary.tsv").read_text(encoding="utf-8"), base)}
    assert {"rongke_power", "dut", "jinpu", "multiple_measures"} <= bundled
    assert not code & bundled
    assert {"dalian", "changsha", "patent", "pledge_financing"} <= code


def test_a_collection_glossary_is_stored_at_ingest_and_used_where_its_index_opens(
    tmp_path: Path, no_collection: None
):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "glossary.tsv").write_text("xinghe\torg\t星河科技\tgalaxy tech\n", encoding="utf-8")
    data = tmp_path / "data"
    assert "xinghe" not in default_glossary().concepts
    assert bring_collection_glossaries([folder], data) == []
    assert "xinghe" in default_glossary().concept_ids(normalize("Galaxy Tech"))
    assert "xinghe" in (data / STORED_FILE).read_text(encoding="utf-8")
    glossary_module._collection.clear()  # another process: nothing in use until the index opens
    collection_module._loaded.clear()
    glossary_module.changed()
    assert "xinghe" not in default_glossary().concepts
    load_collection_glossary(data)
    assert "xinghe" in default_glossary().concepts


def test_a_bad_collection_glossary_is_refused_with_its_path_and_the_code_glossary_stays(
    tmp_path: Path, no_collection: None
):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "glossary.tsv").write_text("patent\tterm\t专利\tpatent\n", encoding="utf-8")  # the code's id
    (refused,) = bring_collection_glossaries([folder], tmp_path / "data")
    assert refused[0].endswith("glossary.tsv") and "duplicate id 'patent'" in refused[1]
    assert not (tmp_path / "data" / STORED_FILE).exists()
    with pytest.raises(GlossaryError, match="within unknown place"):
        use_collection_glossary("x\tplace\t某区\tsome district\tnowhere\n")
    assert default_glossary().concepts["patent"].zh == ("专利",)


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


def test_ingest_takes_the_glossary_beside_the_articles_and_search_crosses_languages_with_it(
    tmp_path: Path, no_collection: None
):
    from index import IndexSettings, Searcher, ingest

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("星河科技获得东北首张管理体系认证。\n", encoding="utf-8")
    (folder / "b.txt").write_text("本市专利转化运用持续推进,另一家公司获得奖励。\n", encoding="utf-8")
    (folder / "glossary.tsv").write_text("xinghe\torg\t星河科技\tgalaxy tech\n", encoding="utf-8")
    settings = IndexSettings(data_dir=tmp_path / "data")
    report = ingest([folder], settings)
    assert report.rejected == [] and sorted(report.added) == ["a", "b"]
    assert Searcher(settings).search("What did Galaxy Tech obtain?", k=1)[0].doc_id == "a"


def test_glossaries_beside_articles_can_be_used_without_an_ingest(tmp_path: Path, no_collection: None):
    from index.collection_glossary import use_glossaries_beside

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "glossary.tsv").write_text("xinghe\torg\t星河科技\tgalaxy tech\n", encoding="utf-8")
    (tmp_path / "b" / "glossary.tsv").write_text("broken line\n", encoding="utf-8")
    (refused,) = use_glossaries_beside([tmp_path])
    assert refused[0].endswith(str(Path("b") / "glossary.tsv")) and "4 or 5" in refused[1]
    assert "xinghe" in default_glossary().concepts


def test_another_collections_glossary_in_the_process_does_not_make_documents_look_changed(
    tmp_path: Path, no_collection: None
):
    from index import IndexSettings, ingest

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("本市专利转化运用持续推进。\n", encoding="utf-8")
    settings = IndexSettings(data_dir=tmp_path / "data")
    assert ingest([folder], settings).added == ["a"]
    use_collection_glossary("xinghe\torg\t星河科技\tgalaxy tech\n")  # another index opened here
    assert ingest([folder], settings).unchanged == ["a"]
