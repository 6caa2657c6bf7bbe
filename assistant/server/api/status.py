"""GET /api/health and POST /api/feedback."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.server.api.models import FeedbackRequest


def router(assistant: Assistant, feedback: FeedbackStore) -> APIRouter:
    routes = APIRouter()

    @routes.get(
        "/api/health",
        summary="Liveness and index state",
        responses={
            503: {
                "description": "The keyword index is damaged (being rebuilt), or no answering process is ready"
            }
        },
    )
    def health() -> JSONResponse:
        """`status` ok, or degraded (503) with `keyword_index` saying what is wrong with it, or
        when no answering process is ready (`answer_processes`: processes, ready, restarts and
        the last failure, where the server answers in processes of its own)."""
        state = assistant.searcher.store.state()
        damage = assistant.searcher.damage()
        pool = assistant.pool.status() if assistant.pool is not None else None
        degraded = bool(damage) or (pool is not None and not pool["ready"])
        body: dict[str, Any] = {
            "status": "degraded" if degraded else "ok",
            "keyword_index": damage or "ok",
            "chunks": state["chunks"],
            "generation": state["generation"],
            "embedder": state["embedder"],
            "generator": assistant.settings.llm.backend,
        }
        if pool is not None:
            body["answer_processes"] = pool
        return JSONResponse(body, status_code=503 if degraded else 200)

    @routes.post("/api/feedback", status_code=201, summary="Rate an answer (stored with its citations)")
    def give_feedback(body: FeedbackRequest, request: Request) -> dict[str, Any]:
        user = str(request.scope.get("state", {}).get("user", ""))
        return {"id": feedback.add(body.rating, body.answer.model_dump(), body.comment, user)}

    return routes
