"""docs/configuration.md lists every setting, with an environment variable that really sets it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_configuration", ROOT / "docs" / "make_configuration.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GENERATOR = _generator()
ROWS = [row for _, table in GENERATOR.sections(GENERATOR.settings_model()) for row in table]


def test_configuration_doc_matches_the_settings_models():
    assert (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8") == GENERATOR.render(), (
        "docs/configuration.md is out of date: run python docs/make_configuration.py"
    )


def _sample(kind: str) -> tuple[str, Any]:
    if kind.startswith("dict"):
        return '{"x-test": "1"}', {"x-test": "1"}
    if kind.startswith("list"):
        return '["x-test"]', ["x-test"]
    if kind.startswith("bool"):
        return "true", True
    if kind.startswith("int"):
        return "7", 7
    if kind.startswith("float"):
        return "0.75", 0.75  # inside the range of every float setting (answer.min_confidence is 0-1)
    if kind.startswith("Path"):
        return "/tmp/x-test", Path("/tmp/x-test")
    return "x-test", "x-test"


@pytest.mark.parametrize(
    ("setting", "env", "kind"), [(r[0], r[1], r[2]) for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_each_environment_variable_sets_its_setting(
    monkeypatch: pytest.MonkeyPatch, setting: str, env: str, kind: str
):
    from assistant.settings import Settings

    raw, expected = _sample(kind)
    monkeypatch.setenv(env, raw)
    value: Any = Settings()
    for part in setting.split("."):
        value = getattr(value, part)
    assert value == expected, f"{env}={json.dumps(raw)} did not set {setting}"
