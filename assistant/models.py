"""The answer a question gets: text, whether it is answerable, and the cited passages."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    n: int = Field(description="Citation number, in order of first use in the answer")
    doc_id: str
    title: str = ""
    source: str = ""
    published: str = ""
    language: str = ""
    quote: str = Field(description="The passage exactly as in the original document")
    start: int = Field(description="Offset of the quote in the original document text")
    end: int
    score: float = 0.0
    figures: list[str] = Field(default_factory=list, description="English readings of Chinese figures")

    @classmethod
    def of_chunk(
        cls,
        n: int,
        doc_id: str,
        meta: dict[str, Any],
        quote: str,
        start: int,
        score: float,
        figures: list[str] | None = None,
    ) -> Citation:
        """A citation of `quote`, found at `start` in the document a chunk's metadata describes."""
        return cls(
            n=n,
            doc_id=doc_id,
            title=str(meta.get("title", "")),
            source=str(meta.get("source", "")),
            published=str(meta.get("published", "")),
            language=str(meta.get("language", "")),
            quote=quote,
            start=start,
            end=start + len(quote),
            score=round(score, 4),
            figures=figures or [],
        )


class Turn(BaseModel):
    """One earlier exchange, for follow-up questions."""

    question: str
    answer: str = ""
    searched: str | None = None


class Answer(BaseModel):
    question: str
    searched_question: str = Field("", description="The question actually searched (follow-ups resolved)")
    answer: str
    answerable: bool
    language: str = Field(description="zh-Hans, zh-Hant or en: the language of the question")
    citations: list[Citation] = Field(default_factory=list)
    related: list[Citation] = Field(default_factory=list, description="Closest passages when not answerable")
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage")
    notes: list[str] = Field(default_factory=list)
    removed: list[str] = Field(
        default_factory=list, description="Generated sentences removed by verification"
    )
    generator: str = "extractive"
    confidence: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="Calibrated probability that the answer holds what was asked (docs/evaluation.md); "
        "on a refusal, that of the closest answer withheld; 0 for input the assistant cannot take",
    )
    error: str | None = Field(None, description="Set for input the assistant cannot take (empty, too long)")
