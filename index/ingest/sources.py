"""Which article files an ingest reads: the files under the folders given, their ids and
manifest entries, and a hash of each that tells an unchanged file without parsing it."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from index.collection_glossary import COLLECTION_FILE, stored_digest
from index.ingest.report import Rejected
from index.metadata import load_manifest
from index.readers import SUPPORTED_SUFFIXES
from index.settings import IndexSettings

FORMAT = 2  # bump when chunks change, so every document is rewritten (2: white space between sentences counts against the budget)
HASH_BLOCK_BYTES = 1 << 20  # a file is hashed in blocks of this size


@dataclass(frozen=True)
class SourceFile:
    path: Path
    doc_id: str
    given: dict[str, str]


@dataclass(frozen=True)
class Unchanged:
    """A file whose bytes, declared metadata and settings match its ready record: not parsed."""

    doc_id: str
    path: str


def _folder_files(root: Path, rejected: list[Rejected]) -> list[Path]:
    """The files under `root`, sorted. Hidden files and folders (.git, editor backups) are not
    articles; a link that leads outside `root` is refused (an article folder must not make ingest
    read /etc/passwd or a home folder), and linked folders are not entered."""
    inside = root.resolve()
    files: list[Path] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            if name.startswith(".") or (here / name).is_symlink():
                dirs.remove(name)
                if not name.startswith(".") and not (here / name).resolve().is_relative_to(inside):
                    rejected.append(Rejected(path=str(here / name), reason="a link to outside the folder"))
        for name in names:
            path = here / name
            if name.startswith("."):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                rejected.append(Rejected(path=str(path), reason="a link to outside the folder"))
            elif path.is_file():
                files.append(path)
    return sorted(files)


def collect(paths: Iterable[Path]) -> tuple[list[SourceFile], list[Rejected]]:
    """The article files under `paths`, with ids relative to the folder given (stable across runs)."""
    found: dict[str, SourceFile] = {}
    rejected: list[Rejected] = []
    for root in paths:
        root = Path(root)
        if root.is_file():
            files, base = [root], root.parent
        elif root.is_dir():
            files = _folder_files(root, rejected)
            base = root
        else:
            rejected.append(Rejected(path=str(root), reason="no such file or folder"))
            continue
        manifests: dict[Path, dict[str, dict[str, str]]] = {}
        for path in files:
            if path.name in ("manifest.json", COLLECTION_FILE):
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                rejected.append(
                    Rejected(path=str(path), reason=f"unsupported file type {path.suffix or '(none)'}")
                )
                continue
            if path.parent not in manifests:
                try:
                    manifests[path.parent] = load_manifest(path.parent)
                except ValueError as exc:
                    rejected.append(Rejected(path=str(path.parent / "manifest.json"), reason=str(exc)))
                    manifests[path.parent] = {}
            doc_id = path.relative_to(base).with_suffix("").as_posix()
            if doc_id in found and found[doc_id].path.resolve() != path.resolve():
                # a.txt beside a.md: one id, two files; keep the first rather than overwrite silently
                rejected.append(
                    Rejected(path=str(path), reason=f"same document id {doc_id!r} as {found[doc_id].path}")
                )
                continue
            found[doc_id] = SourceFile(path, doc_id, manifests[path.parent].get(path.name, {}))
    return list(found.values()), rejected


def glossary_part(settings: IndexSettings) -> list[str]:
    """The glossary this data folder's collection brought changes metadata and vectors (nothing
    when none, so that the hashes of a collection without a glossary stay as they were)."""
    digest = stored_digest(settings.data_dir)
    return [digest] if digest else []


def source_hash(source: SourceFile, settings: IndexSettings, embedder_signature: str) -> str:
    """A hash of what a file's chunks depend on, computed without parsing it: its bytes, the
    manifest entry, the chunking settings and the embedder."""
    digest = hashlib.sha256()
    with open(source.path, "rb") as f:
        for block in iter(lambda: f.read(HASH_BLOCK_BYTES), b""):
            digest.update(block)
    digest.update(
        json.dumps(
            [
                source.given,
                settings.chunking.model_dump(),
                embedder_signature,
                FORMAT,
                *glossary_part(settings),
            ],
            ensure_ascii=False,
            sort_keys=True,
        ).encode()
    )
    return digest.hexdigest()
