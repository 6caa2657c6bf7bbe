"""Start-up warm-up: the server loads what questions need before it listens, so that the first
question loads nothing (issue 15: 6.6 s for the first question after start, cold)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# In a fresh process: serve() with uvicorn.run replaced by a probe that counts what answering the
# first question (not one of the warm-up questions) has to load.
PROBE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import jieba, uvicorn
    import assistant.dictionary
    import index.keyword
    from assistant.server import serve
    from assistant.settings import Settings

    loads = []
    cold_init = jieba.Tokenizer.initialize
    def initialize(self, dictionary=None):
        if not self.initialized:
            loads.append("jieba")
        return cold_init(self, dictionary)
    jieba.Tokenizer.initialize = initialize
    for module, name in ((assistant.dictionary, "load"), (index.keyword, "load")):
        def counted(*args, _f=getattr(module, name), _name=module.__name__, **kwargs):
            loads.append(_name)
            return _f(*args, **kwargs)
        setattr(module, name, counted)

    def run(app, **_):
        loads.clear()  # what start-up loaded does not count
        started = time.perf_counter()
        answer = app.state.assistant.answer("大连知识产权质押融资贷款额是多少?")
        print(json.dumps({"loads": loads, "answerable": answer.answerable,
                          "seconds": time.perf_counter() - started}))
    uvicorn.run = run
    serve(Settings(data_dir=Path(sys.argv[1])), api_only=True)
    """
)


def test_the_first_question_after_start_loads_nothing(bundled_settings):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(bundled_settings.data_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    assert probe["answerable"]
    assert probe["loads"] == [], probe
    assert "warmed up in" in done.stderr
