"""An ingest gives way to questions answered on the same machine: `ip-assistant ingest` runs
ingest_nice levels lower, in SCHED_BATCH (before, at the caller's priority, an ingest took the
cores from the server's questions as an equal)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_INGEST_THEN_SAY = """
import os, sys
from assistant.cli import main
assert main(["--data-dir", sys.argv[1], "ingest", sys.argv[2]]) == 0
print(os.nice(0), os.sched_getscheduler(0) == os.SCHED_BATCH)
"""


def test_ip_assistant_ingest_lowers_its_priority(tmp_path: Path):
    article = tmp_path / "articles" / "qingdao.txt"
    article.parent.mkdir()
    article.write_text(
        "青岛市2023年专利授权量达到两万件。青岛知识产权保护中心负责快速预审。", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IP_ASSISTANT_INGEST_NICE": "5"}
    done = subprocess.run(
        [sys.executable, "-c", _INGEST_THEN_SAY, str(tmp_path / "data"), str(article.parent)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-1500:]
    nice, batch = done.stdout.split()[-2:]
    assert int(nice) == min(19, os.nice(0) + 5) and batch == "True"
