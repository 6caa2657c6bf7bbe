"""What an ingest reports, and the error of an ingest that finds the data folder busy."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, Field

Progress = Callable[[int, int, str], None]  # (done, total, current file)


class IngestLocked(RuntimeError):
    """Another ingest holds the data folder."""


class Rejected(BaseModel):
    path: str
    reason: str


class IngestReport(BaseModel):
    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    rejected: list[Rejected] = Field(default_factory=list)
    chunks: int = Field(0, description="Chunks written by this ingest")
    reembedded: int = Field(
        0, description="Documents embedded again first: the index was made by an earlier default embedder"
    )
    seconds: float = 0.0
    yielded_s: float = Field(0.0, description="Seconds the writes waited for a busy CPU (index.pacing)")

    def summary(self) -> str:
        again = (
            f"re-embedded {self.reembedded} stored documents for the new default embedder, "
            if self.reembedded
            else ""
        )
        return (
            f"{again}added {len(self.added)}, updated {len(self.updated)}, unchanged {len(self.unchanged)}, "
            f"removed {len(self.removed)}, rejected {len(self.rejected)}, chunks {self.chunks}, "
            f"{self.seconds:.2f} s"
            + (f" ({self.yielded_s:.1f} s of it yielding to a busy CPU)" if self.yielded_s else "")
        )
