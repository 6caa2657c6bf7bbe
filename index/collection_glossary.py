"""A collection's own glossary: `glossary.tsv` beside its articles (the code's format), brought
into the data folder at ingest (`collection-glossary.tsv`, merged by concept id with what earlier
ingests brought) and in use wherever that data folder's index is opened (index.glossary)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from index.glossary import (
    GlossaryError,
    base_concepts,
    concept_lines,
    parse_glossary,
    use_collection_glossary,
)

logger = logging.getLogger(__name__)

COLLECTION_FILE = "glossary.tsv"  # beside a collection's articles
STORED_FILE = "collection-glossary.tsv"  # in the data folder: what the ingested collections brought
_loaded: dict[Path, tuple[int, int]] = {}  # stored glossary files read, with their mtime and size
_digests: dict[Path, tuple[str, tuple[int, int] | None]] = {}  # and their digests


def load_collection_glossary(data_dir: Path) -> None:
    """Use the glossary stored in `data_dir` by ingest, if any (read again only when it changed)."""
    path = Path(data_dir) / STORED_FILE
    try:
        stat = path.stat()
    except OSError:
        return
    if _loaded.get(path) == (stat.st_mtime_ns, stat.st_size):
        return
    try:
        use_collection_glossary(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, GlossaryError) as exc:
        logger.warning("collection glossary %s not used: %s", path, exc)
    _loaded[path] = (stat.st_mtime_ns, stat.st_size)


def stored_digest(data_dir: Path) -> str:
    """Identifies the glossary stored in `data_dir` ("" when none): a document's fingerprint
    covers what its own collection brought, not what other collections in the process did."""
    path = Path(data_dir) / STORED_FILE
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        if _digests.get(path, ("", None))[1] != key:
            _digests[path] = (hashlib.sha256(path.read_bytes()).hexdigest()[:16], key)
    except OSError:
        return ""
    return _digests[path][0]


def collection_glossary_files(paths: Iterable[Path]) -> list[Path]:
    """The glossary files beside the articles under `paths` (a file's own folder for a file)."""
    found: list[Path] = []
    for root in map(Path, paths):
        if root.is_dir():
            found += sorted(
                p
                for p in root.rglob(COLLECTION_FILE)
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
            )
        elif (root.parent / COLLECTION_FILE).is_file():
            found.append(root.parent / COLLECTION_FILE)
    return list(dict.fromkeys(found))


def bring_collection_glossaries(
    paths: Iterable[Path], data_dir: Path, fresh: bool = False
) -> list[tuple[str, str]]:
    """At ingest: add the glossaries beside the articles under `paths` to the one stored in
    `data_dir` (to none with `fresh`, a rebuild), and use it. Returns (path, reason) for each
    glossary file that was not taken."""
    stored = Path(data_dir) / STORED_FILE
    lines: dict[str, str] = {}
    if fresh:
        stored.unlink(missing_ok=True)
    else:
        load_collection_glossary(data_dir)
        with contextlib.suppress(OSError):
            lines = concept_lines(stored.read_text(encoding="utf-8"))
    rejected: list[tuple[str, str]] = []
    for path in collection_glossary_files(paths):
        try:
            more = concept_lines(path.read_text(encoding="utf-8"))
            parse_glossary("\n".join({**lines, **more}.values()), base_concepts())
        except (OSError, UnicodeDecodeError, GlossaryError) as exc:
            rejected.append((str(path), f"glossary not used: {exc}"))
            continue
        lines.update(more)
    text = "".join(lines[cid] + "\n" for cid in sorted(lines))
    if text and not (stored.is_file() and stored.read_text(encoding="utf-8") == text):
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".glossary-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, stored)
    if text:
        use_collection_glossary(text)
    return rejected


def use_glossaries_beside(paths: Iterable[Path]) -> list[tuple[str, str]]:
    """Use the glossaries beside the articles under `paths` without storing them (what ingest
    uses, for reading articles outside an ingest). Returns (path, reason) for each not taken."""
    rejected: list[tuple[str, str]] = []
    for path in collection_glossary_files(paths):
        try:
            use_collection_glossary(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, GlossaryError) as exc:
            rejected.append((str(path), f"glossary not used: {exc}"))
    return rejected
