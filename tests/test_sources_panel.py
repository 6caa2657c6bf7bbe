"""What the chat shows of an answer's passages: a refusal lists the closest ones, the sources panel
bounds a passage's context to a few sentences on word boundaries and opens the whole document at it."""

from __future__ import annotations

import re

from assistant.library import CONTEXT_CHARS, Library
from assistant.models import Answer, Citation
from assistant.pipeline import Assistant
from assistant.render.web import answer_markdown, citation_html, shorten
from assistant.settings import Settings
from index.chunking import context_span

ENGLISH = (
    "Intellectual property work in our city has improved. The business environment keeps improving. "
    "Dalian registered 137748 valid trademarks by the end of 2021, up 17.2 percent. "
    "The city set up a public service platform for intellectual property information and services "
    "covering patents, trademarks and geographical indications across the whole chain."
)


def test_a_refusal_lists_the_closest_passages_after_saying_so():
    related = [
        Citation(n=1, doc_id="a", title="长沙报道", quote="全市有效发明专利擁有量7.61萬件。", start=0, end=5),
        Citation(n=2, doc_id="b", title="", quote="x" * 300, start=0, end=300),
    ]
    refusal = "资料中没有找到能回答这个问题的内容。以下是最接近的段落："
    ans = Answer(question="q", answer=refusal, answerable=False, language="zh-Hans", related=related)
    shown = answer_markdown(ans, "zh")
    head, _, listed = shown.partition("以下是最接近的段落：")
    assert "资料中没有找到" in head
    lines = [line for line in listed.splitlines() if line.strip()]
    assert len(lines) == 2
    assert lines[0].startswith("- \\[1\\]") and "7.61萬件" in lines[0] and "长沙报道" in lines[0]
    assert lines[1].startswith("- \\[2\\]") and "…" in lines[1] and len(lines[1]) < 140


def test_quotes_are_shortened_between_words():
    assert shorten(ENGLISH, 60).endswith("…") and ENGLISH.startswith(shorten(ENGLISH, 60)[:-1])
    assert shorten(ENGLISH, 60)[:-1].split()[-1] in ENGLISH.split()  # a whole word before the cut
    assert shorten("短句。", 60) == "短句。"


def test_context_is_a_few_sentences_and_never_starts_or_ends_inside_a_word():
    start = ENGLISH.index("Dalian registered")
    end = ENGLISH.index("percent.") + len("percent.")
    span = context_span(ENGLISH, start, end, 40, 2)
    before, after = ENGLISH[span.start : start], ENGLISH[end : span.end]
    assert len(before) <= 40 and len(after) <= 40
    words = set(re.findall(r"\w+", ENGLISH))
    assert all(w in words for w in re.findall(r"\w+", before + " " + after))
    lines = "甲\n乙\n丙\n丁\n戊\n己\n引用的句子。\n庚\n辛\n壬\n癸\n"
    q = lines.index("引用")
    span = context_span(lines, q, q + 6, CONTEXT_CHARS, 2)
    assert lines[span.start : span.end] == "戊\n己\n引用的句子。\n庚\n辛"


def test_sources_panel_of_a_list_article_stays_short_and_opens_the_whole_document(bundled_settings: Settings):
    assistant = Assistant(bundled_settings)
    library = Library(assistant)
    text, _ = library.document("dalian-demo-city-2022") or ("", {})
    start = text.index("5\n\n辽宁\n\n大连市")  # a row of the one-word-a-line list of cities
    citation = Citation(
        n=1, doc_id="dalian-demo-city-2022", quote=text[start : start + 1], start=start, end=start + 1
    )
    passage = library.passage(citation.doc_id, citation.start, citation.end, citation.quote)
    assert passage.before.count("\n") + passage.after.count("\n") <= 8  # before: hundreds of rows
    page = citation_html(citation, library, "en")
    whole = page[page.index("<details class='ipa-whole'>") :]
    assert "Show the whole document" in whole
    assert whole.count("<mark>") == 1 and "大连为什么能入选全国榜单" in whole  # the rest of the article


def test_the_panel_reads_a_cited_document_once_until_the_library_changes(tmp_path):
    """Every answer's sources panel read each cited document from the store again (a request to
    the Chroma server and the whole text decoded, in the serving process): the same few documents
    are cited by answer after answer. A replaced document is read again."""
    settings = Settings(data_dir=tmp_path / "data")
    library = Library(Assistant(settings))
    upload = tmp_path / "report.txt"
    upload.write_text(ENGLISH, encoding="utf-8")
    library.add("report.txt", upload)
    reads: list[str] = []
    store = library.assistant.searcher.store
    read = store.document
    store.document = lambda doc_id: reads.append(doc_id) or read(doc_id)  # type: ignore[method-assign]
    start = ENGLISH.index("Dalian registered")
    end = start + len("Dalian registered 137748 valid trademarks")
    for _ in range(3):
        assert library.passage("report", start, end).quote == ENGLISH[start:end]
    assert reads == ["report"]
    upload.write_text(ENGLISH.replace("137748", "137749"), encoding="utf-8")
    library.add("report.txt", upload)
    reads.clear()
    assert library.passage("report", start, end).quote == ENGLISH[start:end].replace("137748", "137749")
    assert reads == ["report"]
