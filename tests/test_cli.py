"""The command line: readable and JSON answers, eval scoring, docs, clean errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IP_ASSISTANT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=240,
        check=check,
    )


def test_ask_prints_json_answer_and_never_imports_gradio(bundled_settings):
    code = (
        "import sys, assistant.cli as c; rc = c.main(['ask', '--json', '大连有效商标注册量是多少?']);"
        "assert 'gradio' not in sys.modules, 'gradio imported'; sys.exit(rc)"
    )
    env = {**os.environ, "IP_ASSISTANT_DATA_DIR": str(bundled_settings.data_dir), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=240
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["answerable"] and answer["citations"][0]["doc_id"].startswith("dalian")


def test_ask_builds_the_bundled_index_on_first_use(tmp_path: Path):
    done = _cli("ask", "長沙高價值發明專利擁有量是多少?", data_dir=tmp_path / "fresh")
    assert "[1]" in done.stdout and "changsha-ip-2025" in done.stdout


def test_eval_scores_a_question_file_and_writes_one_line_per_question(bundled_settings, tmp_path: Path):
    questions = tmp_path / "q.jsonl"
    lines = (ROOT / "tests" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:4]
    questions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    done = _cli("eval", str(questions), "--out", str(out), data_dir=bundled_settings.data_dir)
    scores = json.loads(done.stdout)
    assert scores["questions"] == 4 and scores["hit@1"] == 1.0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["dev-01", "dev-02", "dev-03", "dev-04"]
    assert {"id", "question", "answer", "answerable", "citations"} <= set(rows[0])
    assert rows[0]["citations"][0]["doc_id"]


def test_squad_eval_indexes_paragraphs_and_scores_them(tmp_path: Path):
    squad = {
        "data": [
            {
                "title": "t",
                "paragraphs": [
                    {
                        "id": "p1",
                        "context": "大连市2021年专利授权总量为23508件。",
                        "qas": [
                            {
                                "id": "q1",
                                "question": "大连市2021年专利授权总量是多少?",
                                "answers": [{"text": "23508件"}],
                            }
                        ],
                    },
                    {
                        "id": "p2",
                        "context": "长沙市2024年每万人有效发明专利拥有量为72.42件。",
                        "qas": [
                            {
                                "id": "q2",
                                "question": "长沙每万人有效发明专利拥有量是多少?",
                                "answers": [{"text": "72.42件"}],
                            }
                        ],
                    },
                ],
            }
        ]
    }
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(squad, ensure_ascii=False), encoding="utf-8")
    done = _cli("eval", "--squad", str(path), data_dir=tmp_path / "data")
    scores = json.loads(done.stdout)
    assert scores["hit@1"] == 1.0 and scores["containment"] == 1.0


def test_docs_list_show_remove(bundled_settings):
    listed = _cli("docs", "list", data_dir=bundled_settings.data_dir).stdout
    assert "dalian-ip-week-2022" in listed and "changsha-ip-2025" in listed
    shown = _cli("docs", "show", "dalian-ip-week-2022", data_dir=bundled_settings.data_dir).stdout
    assert "王聚" in shown
    _cli("docs", "remove", "dalian-ip-week-2022", data_dir=bundled_settings.data_dir)
    assert "dalian-ip-week-2022" not in _cli("docs", "list", data_dir=bundled_settings.data_dir).stdout


@pytest.mark.parametrize("args", [["docs", "show", "no-such-doc"], ["eval", "/no/such/file.jsonl"]])
def test_errors_are_one_line_not_tracebacks(bundled_settings, args: list[str]):
    done = _cli(*args, data_dir=bundled_settings.data_dir, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and done.stderr.startswith("ip-assistant:")
