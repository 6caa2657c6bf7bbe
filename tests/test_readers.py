"""Every format and encoding an article arrives in, and files that must be refused with a reason."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

from index.readers import UnreadableFile, decode_text, read_file
from tests.pdfs import cjk_pdf, latin_pdf

ZH = "大连市知识产权局举行宣传周主题日活动,全市有效发明专利拥有量持续增长。"
TW = "長沙全市有效發明專利擁有量7.61萬件,每萬人有效發明專利擁有量增至72.42件。"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("text", "data"),
    [
        (ZH, ZH.encode("utf-8")),
        (ZH, codecs.BOM_UTF8 + ZH.encode("utf-8")),
        (ZH, ZH.encode("utf-16")),  # Python writes the byte-order mark
        (TW, codecs.BOM_UTF16_BE + TW.encode("utf-16-be")),
        (ZH, ZH.encode("gbk")),
        (ZH, ZH.encode("gb18030")),
        (TW, TW.encode("big5")),
        ("专利质押", "专利质押".encode("gbk")),  # short texts are the hard case for scoring
        ("專利質押融資", "專利質押融資".encode("big5")),
    ],
    ids=[
        "utf8",
        "utf8-bom",
        "utf16-le-bom",
        "utf16-be-bom",
        "gbk",
        "gb18030",
        "big5",
        "short-gbk",
        "short-big5",
    ],
)
def test_text_encodings_are_read_exactly(tmp_path: Path, text: str, data: bytes):
    assert decode_text(data) == text
    read, _ = read_file(write(tmp_path, "a.txt", data))
    assert read == text


def test_gbk_and_big5_halves_in_one_file_are_rejected_as_garbled():
    with pytest.raises(UnreadableFile, match="garbled"):
        decode_text(ZH.encode("gbk") + TW.encode("big5"))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("latin1.txt", "Café naïve façade, résumé «quoted» text.".encode("latin-1"), "not UTF-8"),
        ("nul.txt", b"abc\x00def" * 10, "NUL"),
        ("empty.md", b"  \n", "empty"),
        ("fake.pdf", b"not a pdf at all", "no %PDF"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "PDF"),
        ("fake.docx", b"plain text", "not a zip"),
        ("broken.docx", b"PK\x03\x04garbage", "DOCX"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "binary"),
        ("notes.rtf", b"{\\rtf1 hello}", "unsupported"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(tmp_path: Path, name: str, data: bytes, reason: str):
    with pytest.raises(UnreadableFile, match=reason):
        read_file(write(tmp_path, name, data))


def test_oversized_file_is_refused(tmp_path: Path):
    with pytest.raises(UnreadableFile, match="over the limit"):
        read_file(write(tmp_path, "big.txt", ZH.encode() * 100), max_bytes=1000)


def test_markdown_front_matter_becomes_metadata(tmp_path: Path):
    data = f'---\r\ntitle: "宣传周"\r\npublished: 2022-04-26\r\n---\r\n# 标题\r\n{ZH}\r\n'.encode()
    text, meta = read_file(write(tmp_path, "a.md", data))
    assert meta == {"title": "宣传周", "published": "2022-04-26"}
    assert text == f"# 标题\n{ZH}\n"


def test_html_keeps_the_article_and_drops_scripts_navigation_and_chrome(tmp_path: Path):
    html = f"""<!DOCTYPE html><html><head><meta charset="gb2312"><title>宣传周_某某网</title>
    <script>var loading = "加载中";</script><style>p {{color: red}}</style></head><body>
    <div id="top-nav"><a href="/">首页</a><a>新闻</a></div><header><h1>某某网</h1></header>
    <div class="content"><article><header><h1>大连市开展知识产权宣传周活动</h1>
    <p class="date">2022-04-26 11:01:53</p></header>
    <div>导语。<p>{ZH}</p><ul><li><p>第一项内容</p></li></ul></div>
    <table><tr><td>发明专利</td><td>7.61万件</td></tr></table>
    <p>第一行<br>第二行</p><div class="share-bar">分享到微博</div></article>
    <aside>相关新闻</aside></div><footer>版权所有 某某网</footer></body></html>"""
    text, meta = read_file(write(tmp_path, "page.html", html.encode("gbk")))
    assert text.splitlines() == [
        "大连市开展知识产权宣传周活动",
        "2022-04-26 11:01:53",
        "导语。",
        ZH,
        "第一项内容",
        "发明专利",
        "7.61万件",
        "第一行",
        "第二行",
    ]
    assert meta["title"] == "大连市开展知识产权宣传周活动"
    for chrome in ("loading", "color", "首页", "某某网", "分享", "相关新闻", "版权"):
        assert chrome not in text


def test_html_with_a_wrong_declared_charset_is_still_decoded(tmp_path: Path):
    html = f"<html><head><meta charset='utf-8'></head><body><p>{TW}</p></body></html>".encode("big5")
    text, _ = read_file(write(tmp_path, "page.htm", html))
    assert text == TW


def test_pdf_text_is_extracted(tmp_path: Path):
    text, _ = read_file(
        write(
            tmp_path,
            "en.pdf",
            latin_pdf(["Dalian patent pledge financing (2022).", "It reached 1.495 billion yuan."]),
        )
    )
    assert text == "Dalian patent pledge financing (2022).\nIt reached 1.495 billion yuan."


def test_chinese_pdf_lines_wrapped_by_the_page_are_joined(tmp_path: Path):
    text, _ = read_file(
        write(tmp_path, "zh.pdf", cjk_pdf(["大连市知识产权质押融资", "达到十四亿元。", "第二段。"]))
    )
    assert text == "大连市知识产权质押融资达到十四亿元。\n第二段。"


def test_chinese_pdf_headings_keep_their_line(tmp_path: Path):
    lines = ["一、总体要求", "各地区各部门要加强知识产权保护工作，", "完善制度。"]
    text, _ = read_file(write(tmp_path, "zh.pdf", cjk_pdf(lines)))
    assert text == "一、总体要求\n各地区各部门要加强知识产权保护工作，完善制度。"


def test_pdf_without_text_is_refused(tmp_path: Path):
    with pytest.raises(UnreadableFile, match="without extractable text"):
        read_file(write(tmp_path, "scan.pdf", latin_pdf([])))


def test_docx_paragraphs_and_tables_are_read_in_document_order(tmp_path: Path):
    import docx

    document = docx.Document()
    document.add_heading("大连知识产权强市建设", level=1)
    document.add_paragraph(ZH)
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("指标", "数值"), ("有效商标注册量", "20.5万件")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("表后的段落。")
    buffer = io.BytesIO()
    document.save(buffer)
    text, _ = read_file(write(tmp_path, "a.docx", buffer.getvalue()))
    assert text.splitlines() == [
        "大连知识产权强市建设",
        ZH,
        "指标 | 数值",
        "有效商标注册量 | 20.5万件",
        "表后的段落。",
    ]


def test_docx_zip_bomb_is_refused(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read_file(write(tmp_path, "bomb.docx", buffer.getvalue()))
