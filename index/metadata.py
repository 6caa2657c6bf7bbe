"""Document metadata: from a sidecar manifest or front matter where given, else from the text."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from index.glossary import default_glossary
from index.normalize import cjk_ratio, normalize, to_simplified, to_traditional

LANGUAGES = ("zh-Hans", "zh-Hant", "en")


class DocumentMeta(BaseModel):
    doc_id: str
    title: str = ""
    source: str = ""
    published: str = Field("", description="YYYY-MM-DD, YYYY-MM or YYYY; empty when unknown")
    language: str = "zh-Hans"
    region: str = ""
    path: str = ""


def detect_language(text: str) -> str:
    sample = text[:20000]
    if cjk_ratio(sample) < 0.3:
        return "en"
    cjk = [c for c in sample if "\u4e00" <= c <= "\u9fff"][:4000]  # plenty to tell the scripts apart
    simplified = to_simplified("".join(cjk))
    changed = sum(1 for a, b in zip(cjk, simplified, strict=True) if a != b)
    return "zh-Hant" if cjk and changed / len(cjk) > 0.05 else "zh-Hans"


_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.年])\s*(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
_LABELLED_DATE = re.compile(r"(?:时间|發布時間|发布时间|日期|date|published)\s*[:：]\s*", re.I)


def detect_published(text: str, name: str = "") -> str:
    """A publication date stated near the top ('2022-04-26 11:01:53', '时间:2022年4月26日'), else
    the date or year a file name carries ('report-2022-08-05.txt', 'dalian-2025.txt')."""
    head = to_simplified(text[:1500])
    candidates = []
    for label in _LABELLED_DATE.finditer(head):
        if m := _DATE.match(head, label.end()):
            candidates.append(m)
    if not candidates:
        # An unlabelled date on a line of its own (a dateline), near the top.
        for line in head.splitlines()[:8]:
            m = _DATE.match(line.strip())
            if m and len(line.strip()) <= 25:
                candidates.append(m)
                break
    if not candidates:
        return published_from_name(name)
    m = candidates[0]
    year, month, day = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


_NAME_DATE = re.compile(r"(?<![0-9])((?:19|20)\d{2})(?:[-_.]?(\d{2})[-_.]?(\d{2}))?(?![0-9])")


def published_from_name(name: str) -> str:
    """The date (YYYY-MM-DD) or year a file name carries as a number of its own, '' when none or
    several: people name downloaded articles by when they came out."""
    stem = Path(name).stem if name else ""
    found = {m.group(0): m for m in _NAME_DATE.finditer(stem)}
    if len(found) != 1:
        return ""
    m = next(iter(found.values()))
    if m.group(2) is None:
        return m.group(1)
    month, day = int(m.group(2)), int(m.group(3))
    return f"{m.group(1)}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


_SOURCE = re.compile(r"(?:来源|來源|source)\s*[:：]\s*([^\s|/]{2,30})", re.I)


def normalize_published(value: str) -> str:
    """A given date as YYYY-MM-DD when it is a full date ('2022-04-26T11:01:53+08:00', '2022年4月26日'),
    else as given ('2025-02', '2022')."""
    value = value.strip()
    m = _DATE.match(value)
    if m and 1 <= int(m["m"]) <= 12 and 1 <= int(m["d"]) <= 31:
        return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"
    return value


def detect_source(text: str) -> str:
    m = _SOURCE.search(text[:1500])
    return m.group(1).strip() if m else ""


def detect_region(text: str, language: str) -> str:
    """The place an article is mostly about: the most mentioned city or province."""
    glossary = default_glossary()
    counts: Counter[str] = Counter()
    for mention in glossary.mentions(normalize(text[:20000])):
        if mention.concept.kind == "place" and mention.concept.id not in ("china", "northeast"):
            counts[mention.concept.id] += 1
    if not counts:
        return ""
    concept = glossary.concepts[counts.most_common(1)[0][0]]
    if language == "en":
        return concept.en[0].title()
    name = concept.zh[0]
    return name if language == "zh-Hans" else to_traditional(name)


def detect_title(lines: list[str]) -> str:
    for line in lines:
        line = line.strip()
        line = re.sub(r"^#{1,6}\s+", "", line)  # a Markdown heading
        line = re.sub(r"^(?:原标题|原標題|标题|標題|title)\s*[:：]\s*", "", line, flags=re.I)
        if 4 <= len(line) <= 120:
            return line
    return lines[0][:120] if lines else ""


def load_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """`manifest.json` beside the articles: a list of {file, title, source, published, ...}."""
    path = folder / "manifest.json"
    if not path.is_file():
        return {}
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: not a readable JSON manifest ({exc})") from None
    if not isinstance(entries, list):
        raise ValueError(f"{path}: the manifest must be a JSON list of objects")
    out: dict[str, dict[str, str]] = {}
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("file"), str):
            out[entry["file"]] = {k: str(v) for k, v in entry.items() if v is not None and k != "file"}
    return out


def build_meta(
    doc_id: str, path: str, text: str, kept_lines: list[str], given: dict[str, str]
) -> DocumentMeta:
    language = given.get("language") or detect_language(text)
    if language not in LANGUAGES:
        language = detect_language(text)
    return DocumentMeta(
        doc_id=doc_id,
        path=path,
        title=given.get("title") or detect_title(kept_lines),
        source=given.get("source") or detect_source(text),
        published=normalize_published(given.get("published") or given.get("date") or "")
        or detect_published(text, path or doc_id),
        language=language,
        region=given.get("region") or detect_region(text, language),
    )
