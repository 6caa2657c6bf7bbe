"""The general dictionary (CC-CEDICT) and the question words it carries into the other language."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant import dictionary as dictionary_module
from assistant.dictionary import Dictionary, load, parse
from assistant.expansion import names_thing, phrase_translations, search_terms, translations
from assistant.question import analyse
from index.ingest import ingest
from index.search import Hit

# A few entries in CC-CEDICT's own format, made up where the real ones are long.
ENTRIES = """\
# CC-CEDICT sample
醫院 医院 [yi1 yuan4] /hospital/CL:所[suo3],家[jia1]/
市長 市长 [shi4 zhang3] /mayor/
會議 会议 [hui4 yi4] /meeting/conference/CL:場|场[chang3],屆|届[jie4]/
代表 代表 [dai4 biao3] /representative/delegate/to represent/CL:位[wei4]/
地位 地位 [di4 wei4] /position/status/place/
城市 城市 [cheng2 shi4] /city/town/CL:座[zuo4]/
編輯 编辑 [bian1 ji2] /to edit/to compile/editor/
參加 参加 [can1 jia1] /to attend/to take part/to join/
市場份額 市场份额 [shi4 chang3 fen4 e2] /market share/
份額 份额 [fen4 e2] /share/portion/
市場 市场 [shi4 chang3] /market/
企業 企业 [qi3 ye4] /company/firm/enterprise/CL:家[jia1]/
醫 医 [yi1] /medical/doctor/
亞 亚 [ya4] /variant of 亞|亚/
"""


@pytest.fixture
def small_dictionary(monkeypatch: pytest.MonkeyPatch) -> Dictionary:
    """The sample entries stand in for CC-CEDICT (a question is analysed afresh each time)."""
    made = parse(ENTRIES)
    monkeypatch.setitem(dictionary_module._state, "dictionary", made)
    return made


def test_entries_map_both_ways_and_nouns_are_marked():
    d = parse(ENTRIES)
    assert d.chinese(("hospitals",)) == ("医院",)  # plural off
    assert d.chinese(("edited",)) == ("编辑",)  # through the stem
    assert "edit" in d.english("编辑")
    assert d.chinese(("market", "share")) == ("市场份额",)
    assert d.names_thing(("hospital",)) and not d.names_thing(("mayor",))
    assert d.chinese(("medical",)) == ()  # one character matches too much of any passage


def test_cities_counties_and_districts_are_known_with_their_english_names():
    d = parse(
        ENTRIES
        + "唐山 唐山 [Tang2 shan1] /Tangshan prefecture-level city in Hebei/China (a name for China)/\n"
        + "大連 大连 [Da4 lian2] /Dalian subprovincial city in Liaoning province/\n"
        + "銀川 银川 [Yin2 chuan1] /Yinchuan city, capital of Ningxia Hui Autonomous Region/\n"
        + "包頭 包头 [Bao1 tou2] /Baotou prefecture-level city in Inner Mongolia/\n"
        + "包頭 包头 [bao1 tou2] /turban/headband/\n"
        + "中山 中山 [Zhong1 shan1] /refers to Dr Sun Yat-sen/Zhongshan, prefecture-level city/\n"
    )
    assert d.places == {"唐山": "tangshan", "大连": "dalian", "银川": "yinchuan", "包头": "baotou"}
    assert "城市" not in d.places  # a city, not the name of one


def test_the_compact_maps_are_cached_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(dictionary_module, "_source", lambda: gzip.compress(ENTRIES.encode()))
    built = load(tmp_path)
    assert len(list(tmp_path.glob("dictionary-*.pickle"))) == 1
    monkeypatch.setattr(dictionary_module, "parse", lambda text: pytest.fail("parsed again"))
    assert load(tmp_path) == built


def test_question_words_get_their_translations_as_weaker_alternatives(small_dictionary: Dictionary):
    assert translations("conference") == ("会议",)
    assert translations("地位") == ("posit", "status", "place")
    q = analyse("How many delegates attended the conference?")
    assert ("confer", "会议") in q.groups
    assert "会议" in q.borrowed
    weights = search_terms(q.borrowed)
    assert weights["会议"] < 1 and weights["_会议"] < 1


def test_a_phrase_the_dictionary_knows_is_translated_whole(small_dictionary: Dictionary):
    form = "what is the market share"
    found = phrase_translations(form)
    assert found[form.index("market")] == found[form.index("share")] == ("市场份额",)


def test_frame_nouns_are_not_things(small_dictionary: Dictionary):
    assert names_thing("hospitals")
    assert not names_thing("mayor")  # no classifier in its entry


def _corpus(tmp_path: Path, files: dict[str, str]) -> Assistant:
    folder = tmp_path / "articles"
    folder.mkdir()
    manifest = []
    for name, (language, text) in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        manifest.append({"file": name, "title": name, "language": language})
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    ingest([folder], settings)
    return Assistant(settings)


def test_english_question_finds_chinese_passage_through_the_dictionary(
    tmp_path: Path, small_dictionary: Dictionary
):
    assistant = _corpus(
        tmp_path,
        {
            "a.txt": ("zh-Hans", "本次会议共有120名代表参加。\n会后发布了新的规划。\n"),
            "b.txt": ("zh-Hans", "该市去年新建公园3座。\n"),
        },
    )
    answer = assistant.answer("How many delegates attended the conference?")
    assert answer.answerable and "120" in answer.answer and answer.citations[0].doc_id == "a"


def test_chinese_question_finds_english_passage_through_the_dictionary(
    tmp_path: Path, small_dictionary: Dictionary
):
    assistant = _corpus(
        tmp_path,
        {
            "en.txt": ("en", "The city holds a leading position among its neighbours.\nIt built 3 parks.\n"),
            "zh.txt": ("zh-Hans", "该市去年新建公园3座。\n"),
        },
    )
    answer = assistant.answer("城市地位是什么?")
    assert answer.answerable and "leading position" in answer.answer


def test_the_other_language_gets_slots_when_own_language_passages_fill_the_search(
    tmp_path: Path, small_dictionary: Dictionary
):
    """Chinese passages repeating the question's words outrank the English one reached only through
    translations; it still comes in as one of a few other-language chunks, and its sentence, which
    holds what is asked, is chosen."""
    files = {
        "zh.txt": ("zh-Hans", "城市公园、城市绿地和城市道路都已建成。\n"),
        "en.txt": ("en", "The city holds a leading position among its neighbours.\n"),
    }
    assistant = _corpus(tmp_path, files)
    narrow = Assistant(assistant.settings.with_overrides(**{"retrieval.top_k": 1}))
    assert [h.doc_id for h in narrow.searcher.search("城市地位是什么?", k=1)] == ["zh"]
    answer = narrow.answer("城市地位是什么?")
    assert answer.answerable and "leading position" in answer.answer
    assert answer.citations[0].doc_id == "en"


def test_a_translation_counts_only_as_a_whole_word(tmp_path: Path, small_dictionary: Dictionary):
    assistant = _corpus(tmp_path, {"a.txt": ("zh-Hans", "市场监管局局长张三出席会议并讲话。\n")})
    assert not assistant.answer("Who is the mayor?").answerable  # 市…局长 is no 市长


def test_a_thing_no_article_names_counts_against_an_answer(tmp_path: Path, small_dictionary: Dictionary):
    assistant = _corpus(
        tmp_path,
        {
            "a.txt": ("zh-Hans", "长沙三家企业获得中国专利奖金奖。\n该市新建公园3座。\n"),
            "b.txt": ("zh-Hans", "大连举办知识产权宣传周活动。\n"),
        },
    )
    assert assistant.answer("Which companies won the China Patent Award?").answerable
    assert not assistant.answer("Which hospitals won the China Patent Award?").answerable


class _Searcher:
    """Answers every search with the same hits (the crossing search, here)."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def search(self, *args: object, **kwargs: object) -> list[Hit]:
        return self.hits


def test_other_language_chunks_are_scored_on_the_main_search_scale(
    tmp_path: Path, small_dictionary: Dictionary
):
    def hit(chunk_id: str, language: str, score: float) -> Hit:
        return Hit(chunk_id, "", {"language": language, "doc_id": chunk_id[:2]}, score)

    crossing = [hit("en#0", "en", 4.0), hit("en#1", "en", 2.0), hit("zh#1", "zh-Hans", 1.0)]
    helper = Assistant(Settings(data_dir=tmp_path / "data"), searcher=_Searcher(crossing))  # type: ignore[arg-type]
    main = [hit("zh#0", "zh-Hans", 2.0), hit("en#0", "en", 0.5)]
    out = helper.retriever.with_crossing_hits(analyse("城市地位是什么?"), "zh-Hans", main)
    # The best other-language chunk scores as the main search's best; one ranked low there is
    # raised to that; one the main search missed comes last; no chunk of the question's language.
    assert [(h.chunk_id, h.score) for h in out] == [("zh#0", 2.0), ("en#0", 2.0), ("en#1", 1.0)]
    assert [h.base_score for h in out] == [2.0, 2.0, 1.0]  # the hashing embedder: one scale
    # A neural embedder's main hits also carry the default fusion's score, which answering reads:
    # the other-language chunks are put on that scale too.
    main[0].hashing_score = 1.5
    out = helper.retriever.with_crossing_hits(analyse("城市地位是什么?"), "zh-Hans", main)
    assert [(h.chunk_id, h.score, h.base_score) for h in out] == [
        ("zh#0", 2.0, 1.5),
        ("en#0", 2.0, 1.5),
        ("en#1", 1.0, 0.75),
    ]


class _Idf:
    """The part of a keyword index `_weights` reads: its size and each token's IDF."""

    def __init__(self, idf: dict[str, float]):
        self._idf = idf

    def __len__(self) -> int:
        return 100

    def idf(self, token: str) -> float:
        return self._idf.get(token, 0.0)


def test_a_rare_translation_raises_a_words_weight_only_where_the_other_language_competes():
    from assistant.answerers.extractive.terms import _weights
    from assistant.expansion import BORROWED_WEIGHT
    from assistant.question import Question

    q = Question(
        text="企业", language="zh-Hans", form="企业", groups=[("企业", "enterpris")], borrowed={"enterpris"}
    )
    _, own, any_weights = _weights(q.groups, _Idf({"企业": 0.5, "enterpris": 4.0}), q)  # type: ignore[arg-type]
    assert own == [0.5]  # among Chinese passages, 企业 weighs what 企业 weighs
    assert any_weights == [pytest.approx(4.0 * BORROWED_WEIGHT)]  # beside English ones, its translation
