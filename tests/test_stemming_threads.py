"""English stemming is shared by every question thread: it must give the same stems under load."""

from __future__ import annotations

import threading

from index.analysis import stem
from index.glossary import default_glossary

WORDS = ["protections", "nationalization", "registering", "innovative", "patented", "licensing"] * 40


def test_stemming_from_many_threads_at_once_neither_fails_nor_mixes_words():
    glossary = default_glossary()
    text = " ".join(WORDS)
    expected = glossary.mentions(text)
    single = [stem(w + "x") for w in WORDS]  # words the cache has not seen
    stem.cache_clear()
    errors: list[BaseException] = []
    results: list[object] = []
    gate = threading.Barrier(8)

    def work(k: int) -> None:
        gate.wait()
        try:
            for _ in range(30):
                results.append(glossary.mentions(text) == expected)
            results.append([stem(w + "x") for w in WORDS] == single)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    assert all(results)
