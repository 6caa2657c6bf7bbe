"""Each test owns its state: data folder and Chroma under tmp_path, no provider settings leaking in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "docs" / "articles"

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("IP_ASSISTANT_") or key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("IP_ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IP_ASSISTANT_SETTINGS_FILE", str(tmp_path / "no-settings.toml"))


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the bundled articles indexed once per session (tests copy or read it)."""
    from assistant.settings import Settings
    from index.ingest import ingest

    folder = tmp_path_factory.mktemp("bundled") / "data"
    ingest([ARTICLES], Settings(data_dir=folder))
    return folder


@pytest.fixture
def bundled_settings(bundled_index: Path, tmp_path: Path):
    """Settings over a private copy of the bundled index."""
    from assistant.settings import Settings

    folder = tmp_path / "bundled-data"
    shutil.copytree(bundled_index, folder)
    return Settings(data_dir=folder)


def ingest_reports(tmp_path: Path, reports: dict[str, tuple[str, str]], region: str = ""):
    """Settings over a data folder holding only `reports` (file name: (published, text)),
    Simplified Chinese articles (of `region`) ingested from a folder of their own."""
    import json

    from assistant.settings import Settings
    from index.ingest import ingest

    folder = tmp_path / "articles"
    folder.mkdir()
    manifest = []
    for name, (published, text) in reports.items():
        (folder / name).write_text(text, encoding="utf-8")
        entry = {"file": name, "title": name[:-4], "published": published, "language": "zh-Hans"}
        manifest.append({**entry, "region": region} if region else entry)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    ingest([folder], settings)
    return settings
