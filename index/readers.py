"""Reading article files into text: .txt, .md, .html, .pdf, .docx, in the encodings Chinese
sites use. A file that cannot be read faithfully raises `UnreadableFile` with the reason."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import Path

from index.normalize import cjk_ratio

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


class UnreadableFile(ValueError):
    """The file is not an article we can read; the message says why."""


# ---------------------------------------------------------------- text encodings

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Frequent characters of Chinese prose: right decodings are full of them, wrong ones are not.
_COMMON_HANS = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把"
    "性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质"
    "气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活"
    "设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则"
    "任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美"
    "再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元"
    "况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委"
    "素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江"
    "型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞市專業發產權長們這與"
)
_CANDIDATES = ("utf-8", "gb18030", "big5")


def _score(text: str) -> float:
    """How much `text` looks like real text: the share of common CJK characters among CJK ones,
    penalised by replacement, control and private-use characters."""
    if not text:
        return 0.0
    bad = sum(1 for c in text if c == "\ufffd" or ("\ue000" <= c <= "\uf8ff")
              or (ord(c) < 32 and c not in "\t\r\n\f"))
    cjk = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if cjk:
        common = sum(1 for c in cjk if c in _COMMON_HANS) / len(cjk)
    else:
        common = 1.0 if all(c.isprintable() or c.isspace() for c in text) else 0.5
    return common - 5.0 * bad / len(text)


def decode_text(data: bytes) -> str:
    """Decode article bytes: BOMs first, then strict UTF-8, GB18030 and Big5 scored against each
    other (GBK and Big5 bytes often both decode without error)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"invalid {codec} after its byte-order mark: {exc.reason}") from None
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary data (NUL bytes) in a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for codec in _CANDIDATES[1:]:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None:
        raise UnreadableFile("not UTF-8, UTF-16, GB18030 or Big5 text")
    score, codec, text = best
    if score < 0.5:
        raise UnreadableFile(f"decodes only as garbled text (best guess {codec}, score {score:.2f})")
    return text


# ---------------------------------------------------------------- formats

def _read_html(data: bytes) -> tuple[str, dict[str, str]]:
    from bs4 import BeautifulSoup

    meta_charset = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4096])
    text: str | None = None
    if meta_charset:
        try:
            text = data.decode(meta_charset.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode_text(data)
    soup = BeautifulSoup(text, "html.parser")
    meta: dict[str, str] = {}
    if soup.title and soup.title.string:
        meta["title"] = soup.title.string.strip()
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        content = (tag.get("content") or "").strip()
        if content and name in ("og:title", "title"):
            meta.setdefault("title", content)
        elif content and name in ("publishdate", "pubdate", "article:published_time", "date"):
            meta["published"] = content
        elif content and name in ("source", "author", "og:site_name"):
            meta.setdefault("source", content)
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                     "iframe", "svg", "button", "select", "template"]):
        tag.decompose()
    body = soup.find("article") or soup.body or soup
    blocks = []
    for element in body.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "pre", "blockquote", "div"]):
        if element.name == "div" and element.find(["p", "div", "li", "h1", "h2", "h3", "td"]):
            continue
        line = " ".join(element.get_text(" ", strip=True).split())
        if line:
            blocks.append(line)
    return "\n".join(blocks) if blocks else body.get_text("\n", strip=True), meta


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"corrupt PDF: {exc}") from None
    text = "\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise UnreadableFile("PDF without extractable text (scanned images?)")
    return text


MAX_DOCX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_DOCX_RATIO = 200


def _read_docx(data: bytes) -> str:
    import docx

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_DOCX_RATIO \
                        and info.file_size > 1024 * 1024:
                    raise UnreadableFile(f"DOCX member {info.filename} expands suspiciously (zip bomb?)")
            if total > MAX_DOCX_UNCOMPRESSED:
                raise UnreadableFile(f"DOCX declares {total} bytes uncompressed, over the limit")
        document = docx.Document(io.BytesIO(data))
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(f"corrupt or truncated DOCX: {exc}") from None
    lines = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                lines.append(" | ".join(cells))
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
        text = decode_text(data)
        meta, text = split_front_matter(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise UnreadableFile("no text")
    if cjk_ratio(text) == 0 and not re.search(r"[A-Za-z]{3}", text):
        raise UnreadableFile("no readable words")
    return text, meta
