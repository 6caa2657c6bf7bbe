"""Chinese person names written in pinyin (Wang Ju, Hou Xiangyu), found in the collection in
characters (王聚, 侯向宇): an English question names a person the way the Chinese articles write
them only through their sound.

The characters read as each syllable come from pypinyin's character table; the collection decides
which of those strings are names: every character pair of a name must be indexed (its bigram).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu"
    r"|ua|uo|ue|ve|ui|er|a|o|e|i|u|v)"
)
_SYLLABLE = re.compile(_INITIAL + _FINAL)
# A name is one to three syllables a word; a person's name at most four syllables in all.
_MAX_SYLLABLES = 4


def syllables(word: str) -> tuple[str, ...] | None:
    """The pinyin syllables of a word (xiangyu -> xiang, yu), or None when it is not pinyin.
    Ambiguous splits take the longest syllable first, as pinyin writers expect (xian, not xi-an)."""
    word = word.lower()

    @functools.cache
    def split(i: int) -> tuple[str, ...] | None:
        if i == len(word):
            return ()
        for end in range(min(len(word), i + 6), i, -1):
            if _SYLLABLE.fullmatch(word, i, end):
                rest = split(end)
                if rest is not None:
                    return (word[i:end], *rest)
        return None

    found = split(0)
    return found if found and len(found) <= 3 else None


@functools.cache
def _characters() -> dict[str, tuple[str, ...]]:
    """Toneless syllable -> the common CJK characters read so."""
    from pypinyin.pinyin_dict import pinyin_dict

    out: dict[str, list[str]] = {}
    for code, readings in pinyin_dict.items():
        if not 0x4E00 <= code <= 0x9FFF:
            continue
        for reading in readings.split(","):
            bare = "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))
            bare = bare.replace("ü", "v").replace("u\u0308", "v")
            chars = out.setdefault(bare, [])
            if chr(code) not in chars:
                chars.append(chr(code))
    return {k: tuple(v) for k, v in out.items()}


def in_characters(
    sounds: tuple[str, ...], known_pair: Callable[[str], bool], limit: int = 8
) -> tuple[str, ...]:
    """The character strings read as `sounds` whose every pair `known_pair` accepts (the
    collection holds it): 王聚 for wang ju. Empty when pypinyin is not installed."""
    if not 2 <= len(sounds) <= _MAX_SYLLABLES:
        return ()
    try:
        table = _characters()
    except ImportError:
        return ()
    found: list[str] = list(table.get(sounds[0], ()))
    for sound in sounds[1:]:
        chars = table.get(sound, ())
        found = [s + c for s in found for c in chars if known_pair(s[-1] + c)]
        if not found:
            return ()
    return tuple(found[:limit])


_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2}\b")


def spelled_names(text: str, is_word: Callable[[str], bool]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Runs of two or three capitalised words of an English question that are pinyin and not
    words `is_word` knows (Wang Ju, Hou Xiangyu): (their syllables, the words in lower case)."""
    out = []
    for match in _CAPITALISED_RUN.finditer(text):
        words = tuple(w.lower() for w in re.split(r"[ -]", match.group()))
        split = [syllables(w) for w in words]
        if all(s is not None for s in split) and not any(is_word(w) for w in words):
            sounds = tuple(s for part in split if part for s in part)
            if len(sounds) <= _MAX_SYLLABLES:
                out.append((sounds, words))
    return out


def resolved(
    spelled: list[tuple[tuple[str, ...], tuple[str, ...]]], known_pair: Callable[[str], bool]
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """For each spelled name the collection holds in characters: (the question's tokens it
    stands for, the character names)."""
    out = []
    for sounds, tokens in spelled:
        names = in_characters(sounds, known_pair)
        if names:
            out.append((tokens, names))
    return out
