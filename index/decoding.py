"""Text in the encodings Chinese sites use: a BOM, UTF-8, or the GB18030 / Big5 reading that looks
least garbled. `UnreadableFile` (raised here and by the readers) says why a file cannot be read."""

from __future__ import annotations

import codecs
import functools
import re
from collections import Counter
from pathlib import Path

from index.normalize import to_simplified


class UnreadableFile(ValueError):
    """The file is not an article we can read; the message says why."""


BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES = ("gb18030", "big5")
_COMMON_CHARS = 4000


@functools.cache
def _common_hans() -> frozenset[str]:
    """The most frequent Simplified characters, by word frequency in jieba's dictionary: right
    decodings are made of them, GBK bytes read as Big5 (or the reverse) are not."""
    import jieba

    counts: Counter[str] = Counter()
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as f:
        for line in f:
            word, _, rest = line.partition(" ")
            freq = int(rest.split(" ", 1)[0] or 0)
            for char in word:
                if "\u4e00" <= char <= "\u9fff":
                    counts[char] += freq
    return frozenset(c for c, _ in counts.most_common(_COMMON_CHARS))


_ODD = re.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0e-\x1f\u2500-\u259f\u0370-\u04ff\uff61-\uff9f]")
_MIN_SCORE = 0.5
_MIN_LINE_SCORE = 0.4
_LINE_CJK = 6


def _score(text: str) -> float:
    """How much `text` looks like real text: the share of common characters among its CJK ones
    (after Traditional-to-Simplified, so Big5 text is judged fairly), less a penalty for characters
    that wrong decodings of Chinese produce (replacement, private-use, control, box-drawing, Greek,
    Cyrillic, half-width kana)."""
    if not text:
        return 0.0
    cjk = "".join(c for c in text if "\u3400" <= c <= "\u9fff")
    if not cjk:
        return 1.0 if all(c.isprintable() or c.isspace() for c in text) else 0.5
    common_set = _common_hans()
    simplified = to_simplified(cjk)
    common = sum(1 for c in simplified if c in common_set) / len(simplified)
    return common - 5.0 * len(_ODD.findall(text)) / len(text)


def _garbling(text: str) -> float:
    """The worst score of the whole text and of each line with some Chinese in it: a file that is
    garbled in one part (two encodings mixed) is garbled."""
    worst = _score(text)
    for line in text.splitlines():
        if sum(1 for c in line if "\u3400" <= c <= "\u9fff") >= _LINE_CJK:
            worst = min(worst, _score(line) + (_MIN_SCORE - _MIN_LINE_SCORE))
    return worst


def decode_text(data: bytes) -> str:
    """Decode article bytes: BOMs first, then strict UTF-8, GB18030 and Big5 scored against each
    other (GBK and Big5 bytes often both decode without error)."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"invalid {codec} after its byte-order mark: {exc.reason}") from None
    if b"\x00" in data[:4096]:
        raise UnreadableFile("binary data (NUL bytes) in a text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    for codec in _CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _garbling(text)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None:
        raise UnreadableFile("not UTF-8, UTF-16, GB18030 or Big5 text")
    score, codec, text = best
    if score < _MIN_SCORE:
        raise UnreadableFile(f"decodes only as garbled text (best guess {codec}, score {score:.2f})")
    return text


__all__ = ["BOMS", "UnreadableFile", "decode_text"]
