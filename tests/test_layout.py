"""The shape of the packages: small modules, short functions, and an explicit public API."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "index")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_no_module_is_over_the_line_limit():
    long = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}, f"modules over {MAX_MODULE_LINES} lines: split them"


def test_no_function_is_over_the_line_limit():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines = (node.end_lineno or node.lineno) - start + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = lines
    assert long == {}, f"functions over {MAX_FUNCTION_LINES} lines: split them"


# Every package's public API, held here: a change to one is a decision, made in this test too.
PUBLIC = {
    "assistant": ["Answer", "Assistant", "Citation", "Settings", "Turn", "answer"],
    "assistant.answerers": ["Answerer"],
    "assistant.answerers.extractive": ["Candidate", "ExtractiveAnswerer"],
    "assistant.answerers.llm": ["GenerationError", "Generator", "GeneratorError", "LLMAnswerer", "Message"],
    "assistant.kinds": ["KINDS", "Kit", "compose", "question_kind", "roster_rows"],
    "assistant.question": ["BROAD_PLACES", "YEAR", "Question", "analyse", "question_language"],
    "assistant.render": ["answer_listing", "answer_of_reply", "reply_text", "sources_text"],
    "assistant.selection": [],
    "assistant.server": ["TITLE", "check_binding", "create_app", "running", "serve"],
    "assistant.server.api": ["create_api"],
    "assistant.server.middleware": [
        "AuthMiddleware",
        "BodyLimit",
        "Credentials",
        "SameOrigin",
        "hash_password",
        "request_user",
    ],
    "assistant.server.web": ["build_ui", "mount_ui"],
    "index": [
        "EmbedderMismatch",
        "FigureTable",
        "Hit",
        "IndexSettings",
        "IngestLocked",
        "IngestReport",
        "Searcher",
        "Store",
        "StoreError",
        "figures",
        "ingest",
        "ingest_records",
        "remove_documents",
    ],
    "index.embedders": ["Embedder", "EmbedderError", "backends", "make_embedder", "register"],
    "index.ingest": [
        "IngestLocked",
        "IngestReport",
        "PreparedDocument",
        "Progress",
        "Rejected",
        "SourceFile",
        "collect",
        "ingest",
        "ingest_records",
        "prepare",
        "prepare_group",
        "prepare_text",
        "reembed",
        "remove_documents",
        "source_hash",
    ],
}


def _packages() -> list[str]:
    """Every package under assistant/ and index/ (a folder with an __init__.py)."""
    return sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for package in PACKAGES
        for init in (ROOT / package).rglob("__init__.py")
    )


def test_every_package_is_held_here():
    assert _packages() == sorted(PUBLIC)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_package_states_its_public_api(name: str):
    module = importlib.import_module(name)
    assert list(getattr(module, "__all__", [])) == PUBLIC[name]
    missing = [n for n in PUBLIC[name] if not hasattr(module, n)]
    assert missing == [], f"{name}.__all__ names what it does not define: {missing}"
