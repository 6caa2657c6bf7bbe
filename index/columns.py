"""Columns of one variable-length value per chunk (text, metadata), kept as encoded bytes and
offsets in NumPy arrays: a Python str or dict per chunk costs several times its bytes, and a
memory-mapped column nothing until read."""

from __future__ import annotations

import array
import json
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

import numpy as np

T = TypeVar("T")


class Column(Generic[T]):
    """One value per chunk, stored as encoded bytes and offsets, decoded on access: a Python str
    or dict per chunk costs several times its bytes, and a memory-mapped column nothing until read.
    With `copy`, up to CACHED decoded values are kept and each read gets `copy` of one (metadata:
    every hit of every search reads it, and a dict copy costs a twentieth of decoding the JSON)."""

    CACHED = 8192

    def __init__(
        self,
        data: np.ndarray,
        offsets: np.ndarray,
        decode: Callable[[bytes], T],
        copy: Callable[[T], T] | None = None,
    ) -> None:
        # Plain ndarray views of memory-mapped arrays (still mapped, nothing copied): np.memmap's own
        # indexing made each value read several microseconds dearer, and answers read hundreds.
        self.data, self.offsets, self._decode = np.asarray(data), np.asarray(offsets), decode
        self._copy = copy
        self._decoded: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> T:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        if self._copy is None:
            return self._decode(self.data[int(self.offsets[i]) : int(self.offsets[i + 1])].tobytes())
        found = self._decoded.get(i)
        if found is None:
            if len(self._decoded) >= self.CACHED:
                self._decoded.clear()
            found = self._decode(self.data[int(self.offsets[i]) : int(self.offsets[i + 1])].tobytes())
            self._decoded[i] = found
        return self._copy(found)

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))


def decode_text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogatepass")


def decode_meta(raw: bytes) -> dict[str, Any]:
    meta: dict[str, Any] = json.loads(raw)
    return meta


class ColumnWriter:
    def __init__(self, encode: Callable[[Any], bytes]) -> None:
        self.data = bytearray()
        self.offsets = array.array("q", [0])
        self._encode = encode

    def append(self, value: Any) -> None:
        self.data += self._encode(value)
        self.offsets.append(len(self.data))

    def column(self, decode: Callable[[bytes], T], copy: Callable[[T], T] | None = None) -> Column[T]:
        return Column(
            np.frombuffer(self.data, dtype=np.uint8), np.frombuffer(self.offsets, np.int64), decode, copy
        )


def encode_text(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def encode_meta(meta: dict[str, Any]) -> bytes:
    return json.dumps(meta, ensure_ascii=False, separators=(",", ":")).encode()


__all__ = ["Column", "ColumnWriter", "decode_meta", "decode_text", "encode_meta", "encode_text"]
