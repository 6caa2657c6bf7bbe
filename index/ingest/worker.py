"""The preparing worker of a large ingest: a process that reads, cleans, chunks and embeds
documents while the ingesting process writes earlier ones into Chroma.

Why a process of its own: Chroma's writes hold the GIL while its Rust threads work (measured: a
Python thread beside `add` gets about 1 % of its time), so neither a thread nor the pipes of a
`multiprocessing` pool (fed and drained by threads of the ingesting process) can move while a
write runs. This worker reads its jobs and writes its results with threads of its own, so it keeps
preparing, and its results wait in its memory, until the writer is free again. It is started as
`python -m index.ingest.worker` rather than by `multiprocessing`, whose spawned children import the
caller's main script again (an unguarded script would ingest twice).

Protocol, pickles over the worker's stdin and stdout: first (settings, signature, embedder or
None), then one list of jobs per message; one list of results comes back per list of jobs, in order.
The worker ends when its stdin closes (also when the ingesting process is killed, even in the
middle of a message).
"""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
from typing import Any


def main() -> None:
    from index.collection_glossary import load_collection_glossary
    from index.ingest.prepare import prepare_group

    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    source = sys.stdin.buffer
    settings, signature, embedder = pickle.load(source)
    load_collection_glossary(settings.data_dir)  # stored by the ingest before it started this worker
    jobs: queue.Queue[Any] = queue.Queue()
    results: queue.Queue[Any] = queue.Queue()

    def read() -> None:
        try:
            while True:
                jobs.put(pickle.load(source))
        except (EOFError, OSError, pickle.UnpicklingError):
            # The ingesting process closed the pipe, or was killed in the middle of a message:
            # the worker ends quietly; a half-sent group is nobody's to prepare.
            jobs.put(None)

    def write() -> None:
        try:
            while (result := results.get()) is not None:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
        except (BrokenPipeError, OSError):  # the ingesting process is gone
            os._exit(1)

    threading.Thread(target=read, daemon=True).start()
    writer = threading.Thread(target=write)
    writer.start()
    while (group := jobs.get()) is not None:
        results.put(prepare_group(group, settings, signature, embedder))
    results.put(None)
    writer.join()


if __name__ == "__main__":
    main()
