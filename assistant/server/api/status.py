"""GET /api/health and POST /api/feedback."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from assistant.engine import Assistant
from assistant.feedback import FeedbackStore
from assistant.server.api.models import FeedbackRequest


def router(assistant: Assistant, feedback: FeedbackStore) -> APIRouter:
    routes = APIRouter()

    @routes.get("/api/health", summary="Liveness and index state")
    def health() -> dict[str, Any]:
        state = assistant.searcher.store.state()
        return {
            "status": "ok",
            "chunks": state["chunks"],
            "generation": state["generation"],
            "embedder": state["embedder"],
            "generator": assistant.settings.llm.backend,
        }

    @routes.post("/api/feedback", status_code=201, summary="Rate an answer (stored with its citations)")
    def give_feedback(body: FeedbackRequest, request: Request) -> dict[str, Any]:
        user = str(request.scope.get("state", {}).get("user", ""))
        return {"id": feedback.add(body.rating, body.answer.model_dump(), body.comment, user)}

    return routes
