"""NumPy arrays persisted as .npy files with their sizes and checksums, memory-mapped after a check.

A memory-mapped file that is damaged under a process is worse than a missing one: a file cut
short makes the next read of a mapped page a SIGBUS (the process dies), bytes overwritten in place
change what is read without any error. So the sizes and CRC-32 of the files are recorded when they
are written, and an array is never mapped from the named file: its bytes are first copied into a
file that has no name (O_TMPFILE, or a temporary file unlinked at once, in the same folder), the
copy is checked, and the copy is mapped. Nothing done to the named files afterwards (cut short,
overwritten, replaced) reaches what a running process reads, so a search needs no check of its
own. `MappedFiles.problem()` still tells whether the named files are what was written (for the
health check, and so that a damaged cache is written again), by looking at the files as they were
opened (a newer save that replaces the folder does not count): a changed size or, when their
modification time moved, a changed checksum.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import weakref
import zlib
from pathlib import Path
from typing import IO

import numpy as np

_BLOCK = 1 << 20
_HEADERS = {
    (1, 0): np.lib.format.read_array_header_1_0,
    (2, 0): np.lib.format.read_array_header_2_0,
}

Manifest = dict[str, list[int]]  # file name -> [size in bytes, CRC-32]


class DamagedFile(ValueError):
    """A persisted file whose size or checksum is not the recorded one."""


def checksum(f: IO[bytes]) -> int:
    f.seek(0)
    crc = 0
    while block := f.read(_BLOCK):
        crc = zlib.crc32(block, crc)
    return crc


def record(folder: Path, names: list[str]) -> Manifest:
    """Sizes and checksums of files just written in `folder`."""
    out: Manifest = {}
    for name in names:
        with (folder / name).open("rb") as f:
            out[name] = [os.fstat(f.fileno()).st_size, checksum(f)]
    return out


def check(f: IO[bytes], name: str, expected: list[int]) -> None:
    size = os.fstat(f.fileno()).st_size
    if size != expected[0]:
        raise DamagedFile(f"{name} is {size} bytes, {expected[0]} were written")
    if checksum(f) != expected[1]:
        raise DamagedFile(f"{name} does not match its checksum")


def read_checked(path: Path, expected: list[int]) -> bytes:
    """A small file's bytes, checked against its recorded size and checksum."""
    with path.open("rb") as f:
        check(f, path.name, expected)
        f.seek(0)
        return f.read()


class MappedFiles:
    """The open files an index's arrays are mapped from, and their check."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.files: dict[str, IO[bytes]] = {}
        self._seen: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _close_all, self.files, self._lock)

    def open_array(self, folder: Path, name: str) -> np.ndarray:
        """The array in `folder/name`: its bytes copied into a file without a name, the copy checked
        against the recorded size and checksum, then memory-mapped from the copy."""
        original = (folder / name).open("rb")  # kept open for problem()
        try:
            f = private_copy(original, folder.parent)
        except BaseException:
            original.close()
            raise
        try:
            check(f, name, self.manifest[name])
            f.seek(0)
            version = np.lib.format.read_magic(f)
            if version not in _HEADERS:
                raise DamagedFile(f"{name}: unknown .npy version {version}")
            shape, fortran, dtype = _HEADERS[version](f)
            offset = f.tell()
            if offset + int(np.prod(shape)) * dtype.itemsize > self.manifest[name][0]:
                raise DamagedFile(f"{name} is shorter than its header says")
            if int(np.prod(shape)) == 0:
                values = np.empty(shape, dtype=dtype)
            else:
                values = np.memmap(
                    f, dtype=dtype, mode="r", offset=offset, shape=shape, order="F" if fortran else "C"
                )
        except BaseException:
            original.close()
            raise
        finally:
            f.close()  # the mapping holds the copy; its pages go when the array does
        self.files[name] = original
        self._seen[name] = _stamp(original)
        return values

    def problem(self) -> str | None:
        """Why the mapped files are no longer what was written (None while they are): a size
        differs, or the modification time moved and the checksum no longer matches."""
        with self._lock:
            for name, f in self.files.items():
                if f.closed:  # closed at exit (or by close()) while a refresh thread still checks
                    return None
                size = os.fstat(f.fileno()).st_size
                if size != self.manifest[name][0]:
                    return f"{name} is {size} bytes, {self.manifest[name][0]} were written"
                stamp = _stamp(f)
                if stamp != self._seen[name]:
                    if checksum(f) != self.manifest[name][1]:
                        return f"{name} was changed on disk (checksum)"
                    self._seen[name] = stamp
        return None

    def close(self) -> None:
        self._finalizer()


def private_copy(f: IO[bytes], folder: Path) -> IO[bytes]:
    """The bytes of `f` in a new file without a name in `folder` (same file system, so the kernel
    copies them without passing them through this process where it can)."""
    try:
        fd = os.open(folder, os.O_TMPFILE | os.O_RDWR, 0o600)
    except (OSError, AttributeError):  # a file system (or system) without O_TMPFILE
        fd, path = tempfile.mkstemp(dir=folder, prefix=".mapped-")
        os.unlink(path)
    copy = os.fdopen(fd, "w+b")
    try:
        size, done = os.fstat(f.fileno()).st_size, 0
        try:
            while done < size and (n := os.copy_file_range(f.fileno(), fd, size - done, done, done)):
                done += n
        except (OSError, AttributeError):  # no copy_file_range here: copy through Python
            f.seek(0)
            copy.seek(0)
            copy.truncate()
            shutil.copyfileobj(f, copy, _BLOCK)
        copy.flush()
    except BaseException:
        copy.close()
        raise
    return copy


def _stamp(f: IO[bytes]) -> tuple[int, int]:
    st = os.fstat(f.fileno())
    return st.st_mtime_ns, st.st_ctime_ns


def _close_all(files: dict[str, IO[bytes]], lock: threading.Lock) -> None:
    with lock:
        for f in files.values():
            f.close()
