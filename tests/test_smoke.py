from assistant import Assistant, Settings
from assistant import __all__ as assistant_all
from index import __all__ as index_all


def test_public_api_is_explicit():
    assert set(assistant_all) == {"Answer", "Assistant", "Citation", "Settings", "Turn", "answer"}
    assert {"ingest", "Searcher", "Store", "IndexSettings", "figures", "FigureTable"} <= set(index_all)


def test_bundled_question_is_answered_with_a_citation(bundled_settings: Settings):
    ans = Assistant(bundled_settings).answer("大连有效商标注册量是多少?")
    assert ans.answerable
    assert ans.citations and ans.citations[0].doc_id.startswith("dalian")
