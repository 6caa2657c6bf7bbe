"""The figures table follows the index: written with each document, replaced when it changes,
removed with it, invisible when stale after a crash and repaired by the next ingest."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from index import IndexSettings, Store, ingest, remove_documents
from index.figure_table import FILE_NAME, FigureTable, figures, side_by_side, to_csv

DALIAN = "大连知识产权动态\n时间:2022-04-26 10:00:00\n2021年,大连市知识产权质押贷款达到14.95亿元,全市有效商标注册量13.8万件。\n"
DALIAN_AGAIN = "大连数据\n时间:2022-05-10 10:00:00\n2021年,大连市有效商标注册量137748件。\n"
CHANGSHA = "长沙知识产权动态\n时间:2025-02-25 10:00:00\n2024年,长沙全市有效发明专利拥有量7.61万件。\n"


def corpus(folder: Path, **texts: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    return IndexSettings(data_dir=tmp_path / "data")


def values(settings: IndexSettings, **filters) -> list[tuple[str, float]]:
    return sorted((r["doc_id"], r["value"]) for r in figures(settings, **filters))


def test_ingest_writes_every_figure_with_its_passage(tmp_path: Path, settings: IndexSettings):
    ingest([corpus(tmp_path / "a", dalian=DALIAN, changsha=CHANGSHA)], settings)
    assert values(settings) == [("changsha", 76_100), ("dalian", 138_000), ("dalian", 1_495_000_000)]
    store = Store(settings)
    for row in figures(settings):
        text = store.document(row["doc_id"])[0]
        assert text[row["start"] : row["end"]] == row["text"]
        chunk = store.chunks.get(ids=[f"{row['doc_id']}#{row['chunk']}"], include=["metadatas"])
        meta = chunk["metadatas"][0]
        assert meta["start"] <= row["start"] and row["end"] <= meta["end"]
    assert (settings.data_dir / FILE_NAME).is_file()


def test_filters_by_place_measure_and_year_in_any_script_or_language(tmp_path: Path, settings: IndexSettings):
    ingest([corpus(tmp_path / "a", dalian=DALIAN, changsha=CHANGSHA)], settings)
    assert values(settings, place="長沙") == [("changsha", 76_100)]
    assert values(settings, place="Dalian", measure="pledge loan") == [("dalian", 1_495_000_000)]
    assert values(settings, measure="質押貸款") == [("dalian", 1_495_000_000)]
    assert values(settings, year=2024) == [("changsha", 76_100)]
    assert values(settings, year=2024, place="大连") == []


def test_changed_document_has_its_figures_replaced_and_others_kept(tmp_path: Path, settings: IndexSettings):
    folder = corpus(tmp_path / "a", dalian=DALIAN, changsha=CHANGSHA)
    ingest([folder], settings)
    before = [r for r in figures(settings) if r["doc_id"] == "changsha"]
    corpus(folder, dalian=DALIAN_AGAIN)
    report = ingest([folder], settings)
    assert report.updated == ["dalian"]
    assert values(settings, place="大连") == [("dalian", 137_748)]
    assert [r for r in figures(settings) if r["doc_id"] == "changsha"] == before


def test_removed_and_pruned_documents_take_their_figures_with_them(tmp_path: Path, settings: IndexSettings):
    folder = corpus(tmp_path / "a", dalian=DALIAN, changsha=CHANGSHA)
    ingest([folder], settings)
    assert remove_documents(["dalian"], settings) == ["dalian"]
    assert values(settings) == [("changsha", 76_100)]
    (folder / "changsha.txt").unlink()
    (folder / "dalian.txt").unlink()  # else the next ingest brings it back
    ingest([folder], settings, prune=True)
    assert values(settings) == []
    assert FigureTable(settings.data_dir).versions() == {}


def test_figures_of_a_crashed_write_are_hidden_then_repaired(
    tmp_path: Path, settings: IndexSettings, monkeypatch: pytest.MonkeyPatch
):
    folder = corpus(tmp_path / "a", dalian=DALIAN)
    ingest([folder], settings)
    corpus(folder, dalian=DALIAN_AGAIN)

    def killed(self, documents) -> None:
        raise KeyboardInterrupt  # the process dies after the chunks and records, before the table

    monkeypatch.setattr(FigureTable, "put", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest([folder], settings)
    monkeypatch.undo()
    assert Store(settings).document_records()["dalian"]["status"] == "ready"
    assert values(settings) == []  # the old rows do not belong to the new text: not shown

    report = ingest([folder], settings)
    assert report.unchanged == ["dalian"]
    assert values(settings) == [("dalian", 137_748)]


def test_a_lost_table_is_rebuilt_by_the_next_ingest_without_embedding(
    tmp_path: Path, settings: IndexSettings
):
    folder = corpus(tmp_path / "a", dalian=DALIAN, changsha=CHANGSHA)
    ingest([folder], settings)
    expected = figures(settings)
    (settings.data_dir / FILE_NAME).unlink()
    assert figures(settings) == []
    report = ingest([folder], settings)
    assert report.chunks == 0 and sorted(report.unchanged) == ["changsha", "dalian"]
    assert figures(settings) == expected


def test_csv_has_a_header_and_one_line_per_figure(tmp_path: Path, settings: IndexSettings):
    ingest([corpus(tmp_path / "a", dalian=DALIAN)], settings)
    rows = list(csv.DictReader(io.StringIO(to_csv(figures(settings)))))
    assert sorted((r["text"], r["normalised"], r["place_key"], r["period"]) for r in rows) == [
        ("13.8万件", "138,000 件", "dalian", "2021"),
        ("14.95亿元", "1,495,000,000 元", "dalian", "2021"),
    ]


def test_differing_figures_of_one_measure_and_place_are_grouped(tmp_path: Path, settings: IndexSettings):
    ingest([corpus(tmp_path / "a", dalian=DALIAN, again=DALIAN_AGAIN, changsha=CHANGSHA)], settings)
    groups = side_by_side(figures(settings))
    assert [[(r["doc_id"], r["text"]) for r in g] for g in groups] == [
        [("again", "137748件"), ("dalian", "13.8万件")]
    ]


def test_an_english_measure_finds_chinese_rows_by_the_glossarys_concepts(
    tmp_path: Path, settings: IndexSettings
):
    text = "合肥数据\n时间:2025-01-10 10:00:00\n2024年,合肥市商标注册申请4.2万件,专利授权量3.1万件。\n"
    ingest([corpus(tmp_path / "a", hefei=text)], settings)
    assert values(settings, measure="trademark applications") == [("hefei", 42_000)]
    assert values(settings, measure="patent grants") == [("hefei", 31_000)]
