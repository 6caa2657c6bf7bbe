"""The figures table: /api/figures (JSON, or CSV with format=csv) and /api/figures.csv."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from assistant.library import Library
from index.figure_table import to_csv


def as_csv(rows: list[dict[str, Any]]) -> PlainTextResponse:
    return PlainTextResponse(
        to_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="figures.csv"'},
    )


def router(library: Library) -> APIRouter:
    routes = APIRouter()

    @routes.get(
        "/api/figures", summary="The figures table (JSON, or CSV with format=csv)", response_model=None
    )
    def figures(
        place: str | None = None,
        measure: str | None = None,
        year: int | None = None,
        kind: str | None = None,
        format: Literal["json", "csv"] = "json",
    ) -> list[dict[str, Any]] | PlainTextResponse:
        """Every figure of the indexed articles matching the filters, in any script or language
        (place=長沙, measure=pledge loan): measure, place, period, value normalised, kind, and the
        document, chunk and character offsets it stands at."""
        rows = library.figures(place=place, measure=measure, year=year, kind=kind)
        return as_csv(rows) if format == "csv" else rows

    @routes.get("/api/figures.csv", summary="The figures table as CSV", response_class=PlainTextResponse)
    def figures_csv(
        place: str | None = None, measure: str | None = None, year: int | None = None, kind: str | None = None
    ) -> PlainTextResponse:
        return as_csv(library.figures(place=place, measure=measure, year=year, kind=kind))

    return routes
