"""What an answer costs: the candidates of a question are scored once per answer, whichever path
(single fact, roster, a composite kind) it takes; the keyword index's columns read cheaply; sentence ends
found without trying every abbreviation at every character."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assistant.answerers.extractive as extractive
import assistant.answerers.extractive.regions as regions
from assistant.pipeline import Assistant
from assistant.settings import Settings
from index import analysis, chunking, columns, glossary, keyword
from index.figure_rows import figure_rows
from index.figure_table import FigureTable
from index.store import Store

SINGLE_FACT = "大连有效商标注册量是多少?"


def _calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, key: Callable[..., Any]) -> list[Any]:
    """The calls of `owner.name` from now on, each recorded as `key(*args)`."""
    calls: list[Any] = []
    original = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(key(*args))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_a_single_fact_question_is_scored_once(bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch):
    asked = _calls(monkeypatch, extractive, "candidates", lambda question, *_: question.text)
    ans = Assistant(bundled_settings).answer(SINGLE_FACT)
    assert ans.answerable
    assert asked == [SINGLE_FACT], "the question's candidates were scored more than once"


def test_mapped_columns_are_read_through_plain_views(bundled_settings: Settings, tmp_path: Path):
    """Texts and metadata read from the saved keyword index come through plain ndarray views of the
    mapped files (np.memmap's indexing cost microseconds per read), still mapped, not copied."""
    built = keyword.build_from_store(Store(bundled_settings))
    keyword.save(built, tmp_path / "kw")
    loaded = keyword.load(tmp_path / "kw")
    assert loaded is not None
    for column in (loaded.texts, loaded.metas):
        for array in (column.data, column.offsets):
            assert type(array) is np.ndarray
            assert isinstance(array.base, np.memmap), "the column is no longer mapped"
    assert list(loaded.texts) == list(built.texts) and list(loaded.metas) == list(built.metas)


def test_metadata_is_decoded_once_and_read_as_a_copy(
    bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """Every hit of every search reads its chunk's metadata: the JSON is decoded once, and a caller
    that changes the dict it got changes nothing for the next reader."""
    index = keyword.build_from_store(Store(bundled_settings))
    loads = columns.json.loads
    decoded = _calls(monkeypatch, columns.json, "loads", lambda raw: raw)
    first = index.metas[3]
    first["title"] = "changed by a caller"
    again = index.metas[3]
    assert len(decoded) == 1
    assert again != first and again == loads(decoded[0])


# The sentence-end pattern as it was before its full-stop alternative began with a lookahead.
_SENTENCE_END_BEFORE = re.compile(
    r"""(?:[。！？!?；;]|…+|\.{3,})[”’」』）)\]"'》]*"""
    r"""|(?<![0-9A-Z])(?<!\bNo)(?<!\bno)(?<!\bMr)(?<!\bDr)(?<!\bMs)(?<!\bSt)(?<!\bvs)(?<!\bArt)(?<!\bFig)"""
    r"""(?<!\bMrs)(?<!\bVol)(?<!\be\.g)(?<!\bi\.e)\.(?=\s)[”’"')\]]*"""
    r"""|\n"""
)
_PIECES = ["专利", "。", "；", "…", "...", ".", ". ", "No. 5", "Mr. Li", "e.g.", "U.S. ", "3.5", "”", ")"]
_PIECES += ["\n", " ", "A", "x"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_sentence_ends_are_found_where_they_were(pieces: list[str]):
    text = "".join(pieces)
    assert [m.span() for m in chunking._SENTENCE_END.finditer(text)] == [
        m.span() for m in _SENTENCE_END_BEFORE.finditer(text)
    ]


def test_each_region_is_analysed_once_per_answer(bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch):
    """The judge's features read the regions the answerer analysed (one cache per keyword index);
    they analysed every shortlisted candidate's region again before."""
    keys = _calls(
        monkeypatch, regions, "analysed", lambda hit, _: (hit.doc_id, int(hit.meta.get("chunk", 0)))
    )
    assistant = Assistant(bundled_settings)
    assert assistant.answer(SINGLE_FACT).answerable
    assert keys and len(keys) == len(set(keys)), "a region was analysed twice"
    keys.clear()
    assistant.answer(SINGLE_FACT)
    assert keys == [], "the same question again found its regions analysed"


def test_a_sentence_is_read_by_the_glossary_once(monkeypatch: pytest.MonkeyPatch):
    """A region's sentences need their concept tokens and their places: one glossary pass."""
    read = _calls(monkeypatch, glossary.Glossary, "mentions", lambda _, normalised: normalised)
    text = "大连市知识产权局在沈阳举办了质押融资培训（test_a_sentence_is_read_by_the_glossary_once）"
    tokens = analysis.search_tokens(text)
    named = analysis.places(analysis.search_form(text))
    assert any(t.startswith(analysis.CONCEPT_PREFIX) for t in tokens) and named
    assert len(read) == 1


def test_figure_rows_are_read_again_only_after_the_table_changed(
    bundled_settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """A change question reads every row of the figures table; its answers over an unchanged table
    share one read, and a write to the table (an ingest, a removal) is seen by the next question."""
    reads = _calls(monkeypatch, FigureTable, "rows", lambda table, *_: table.path)
    first = figure_rows(bundled_settings.data_dir)
    assert first and figure_rows(bundled_settings.data_dir) == first
    assert len(reads) == 1
    first[0]["value"] = -1.0  # a caller's change stays its own
    assert figure_rows(bundled_settings.data_dir)[0]["value"] != -1.0
    gone = first[0]["doc_id"]
    FigureTable(bundled_settings.data_dir).remove([gone])
    assert all(row["doc_id"] != gone for row in figure_rows(bundled_settings.data_dir))
    assert len(reads) == 2
