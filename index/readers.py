"""Reading article files into text: .txt, .md, .html, .pdf, .docx, in the encodings Chinese
sites use. A file that cannot be read faithfully raises `UnreadableFile` with the reason."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from index.decoding import BOMS, UnreadableFile, decode_text
from index.normalize import cjk_ratio

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


# ---------------------------------------------------------------- formats

_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}
# Elements that are page chrome wherever they are; header and footer only outside the article.
_CHROME_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
    "template",
    "object",
    "embed",
    "canvas",
    "dialog",
)
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|share|sharing|social|comments?|related"
    r"|recommend|advert|ads?|banner|copyright|footer|toolbar|pager|pagination|login|search)(?:$|[\s_-])",
    re.I,
)
_BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    )
)


def _html_text(data: bytes) -> str:
    if data.startswith(tuple(bom for bom, _ in BOMS)):
        return decode_text(data)
    declared = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", data[:4096], re.I)
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            # Strict: a page whose bytes contradict its declared charset is decoded by scoring.
            return data.decode(_CHARSET_ALIASES.get(name, name))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


def _read_html(data: bytes) -> tuple[str, dict[str, str]]:
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag

    soup = BeautifulSoup(_html_text(data), "html.parser")
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or tag.get("property") or "").lower()
        content = str(tag.get("content") or "").strip()
        if content and name == "og:title":
            meta["og:title"] = content
        elif content and name in ("publishdate", "pubdate", "article:published_time", "date", "dc.date"):
            meta["published"] = content
        elif content and name in ("source", "og:site_name", "contentsource"):
            meta.setdefault("source", content)
    for tag in soup(_CHROME_TAGS):
        tag.decompose()
    body = soup.find("article") or soup.find("main") or soup.body or soup
    total = len(body.get_text(strip=True)) or 1
    for tag in list(body.find_all(True)):
        if tag.decomposed:
            continue
        attrs = " ".join([str(tag.get("id") or ""), *(tag.get("class") or [])])
        # header and footer of the page are chrome; inside an <article> they hold its title and date.
        is_chrome = (tag.name in ("header", "footer") and body.name not in ("article", "main")) or (
            attrs.strip() and _CHROME_ATTR.search(attrs)
        )
        # A wrapper that holds most of the page is layout, not chrome ("main-nav-wrapper").
        if is_chrome and len(tag.get_text(strip=True)) < total / 2:
            tag.decompose()

    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join("".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                current.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    flush()
                elif child.name in _BLOCK_TAGS:
                    flush()
                    walk(child)
                    flush()
                else:
                    walk(child)

    walk(body)
    flush()
    # The article's own heading beats <title>, which usually carries the site name too.
    h1 = body.find("h1")
    heading = " ".join(h1.get_text(" ", strip=True).split()) if h1 else ""
    title = meta.pop("og:title", "") or (heading if 4 <= len(heading) <= 120 else "")
    if not title and soup.title and soup.title.string:
        title = soup.title.string.strip()
    if title:
        meta["title"] = title
    return "\n".join(lines), meta


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, KeyError, ...) on broken files
        raise UnreadableFile(f"corrupt PDF: {type(exc).__name__}: {exc}") from None
    text = "\n".join(_unwrap(p.strip()) for p in pages if p.strip())
    if not text:
        raise UnreadableFile("PDF without extractable text (scanned images?)")
    return text


_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
_WRAP_END = re.compile(r"[\u3400-\u9fff，、]$")
_FULL_LINE = 0.85


def _unwrap(page: str) -> str:
    """Join Chinese lines that a PDF broke only to fit the page width: a line as wide as the page's
    widest, ending in a CJK character or comma, followed by a line starting with one. Short lines
    (headings, a paragraph's last line) keep their break; sentences stay whole for chunking."""
    lines = page.split("\n")
    width = max((len(line.strip()) for line in lines), default=0)
    out = [lines[0]] if lines else []
    for line in lines[1:]:
        previous = out[-1].strip()
        if (
            len(previous) >= _FULL_LINE * width
            and _WRAP_END.search(previous)
            and _CJK_CHAR.match(line.lstrip())
        ):
            out[-1] = previous + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_DOCX_RATIO = 200


def _read_docx(data: bytes) -> str:
    import docx
    from docx.table import Table

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if (
                    info.compress_size
                    and info.file_size / info.compress_size > MAX_DOCX_RATIO
                    and info.file_size > 1024 * 1024
                ):
                    raise UnreadableFile(f"DOCX member {info.filename} expands suspiciously (zip bomb?)")
            if total > MAX_DOCX_UNCOMPRESSED:
                raise UnreadableFile(f"DOCX declares {total} bytes uncompressed, over the limit")
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        # Paragraphs and tables in document order (a table between two paragraphs stays there).
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
                    if cells:
                        lines.append(" | ".join(cells))
            elif block.text.strip():
                lines.append(block.text.strip())
    except UnreadableFile:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on broken archives
        raise UnreadableFile(f"corrupt or truncated DOCX: {type(exc).__name__}: {exc}") from None
    return "\n".join(lines)


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`key: value` front matter between --- lines; returns it and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
    return meta, text[match.end() :]


def read_file(path: Path, max_bytes: int | None = None) -> tuple[str, dict[str, str]]:
    """The text of an article file and the metadata the file itself declares."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFile(f"unsupported file type {suffix or '(none)'}")
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise UnreadableFile(f"{size} bytes, over the limit of {max_bytes}")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise UnreadableFile("empty file")
    meta: dict[str, str] = {}
    if suffix in (".html", ".htm"):
        text, meta = _read_html(data)
    elif suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise UnreadableFile("not a PDF (no %PDF header)")
        text = _read_pdf(data)
    elif suffix == ".docx":
        if not data.startswith(b"PK"):
            raise UnreadableFile("not a DOCX (not a zip archive)")
        text = _read_docx(data)
    else:
        if data.startswith((b"%PDF", b"PK\x03\x04", b"\x7fELF", b"\x89PNG")):
            raise UnreadableFile("binary data in a text file (wrong extension?)")
        text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
        meta, text = split_front_matter(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableFile("no text")
    if cjk_ratio(text) == 0 and not re.search(r"[A-Za-z]{3}", text):
        raise UnreadableFile("no readable words")
    return text, meta
