"""File names and links from outside: long upload names keep their type, ingest stays in its folder."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.library import safe_name
from index.ingest import collect

ARTICLE = "青岛市2023年专利授权量达到两万件。"


def test_an_upload_name_over_the_length_limit_keeps_its_extension():
    for name in ("专利" * 100 + ".docx", "a" * 300 + ".txt", "x" * 119 + ".md"):
        clean = safe_name(name)
        assert len(clean) <= 120
        assert Path(clean).suffix == Path(name).suffix and Path(clean).stem


def test_ingest_refuses_links_that_lead_outside_the_folder(tmp_path: Path):
    outside = tmp_path / "outside"
    (outside / "secrets").mkdir(parents=True)
    (outside / "passwd.txt").write_text("root:x:0:0", encoding="utf-8")
    (outside / "secrets" / "key.md").write_text("secret", encoding="utf-8")
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink(outside / "passwd.txt", folder / "passwd.txt")
    os.symlink(outside / "secrets", folder / "secrets")
    os.symlink(folder / "a.txt", folder / "sub" / "alias.txt")  # inside the folder: allowed

    files, rejected = collect([folder])
    taken = {f.path.resolve() for f in files}
    assert all(p.is_relative_to(folder.resolve()) for p in taken), taken
    assert {f.doc_id for f in files} >= {"a", "sub/b"}
    reasons = {Path(r.path).name: r.reason for r in rejected}
    assert "outside" in reasons["passwd.txt"] and "outside" in reasons["secrets"]


def test_removing_a_document_never_deletes_another_documents_upload(tmp_path: Path):
    from assistant.library import Library
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from index.ingest import ingest

    settings = Settings(data_dir=tmp_path / "data")
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    ingest([folder], settings)
    upload = tmp_path / "b.txt"
    upload.write_text("杭州市推进数据知识产权登记，全年登记数据产品三百余件。", encoding="utf-8")
    library = Library(Assistant(settings))
    library.add("b.txt", upload)
    stored = library.uploads / "b.txt"
    assert stored.is_file() and {"b", "sub/b"} <= {d["doc_id"] for d in library.documents()}

    assert library.remove(["sub/b"]) == ["sub/b"]
    assert stored.is_file(), "the upload of document b was deleted with sub/b"
    assert (folder / "sub" / "b.txt").is_file(), "an ingested article's own file is never deleted"
    assert library.remove(["b"]) == ["b"]
    assert not stored.exists()
