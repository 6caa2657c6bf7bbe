"""The article library: list, read, upload and remove documents."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile

from assistant.library import Library, UploadRejected
from assistant.server.errors import ApiError
from assistant.server.middleware.auth import request_is_admin

UPLOAD_READ_BYTES = 1 << 20  # an upload is copied to disk in pieces of this size


def admin_required(request: Request) -> None:
    """403 unless the user has the admin role (settings server.admins, server.admin_tokens)."""
    if not request_is_admin(request.scope):
        raise ApiError(403, "only an admin can change the library", "admin_required", "permission_error")


ADMIN_ONLY = [Depends(admin_required)]


def router(library: Library) -> APIRouter:
    routes = APIRouter()

    @routes.get("/api/documents", summary="List the indexed articles")
    def documents() -> list[dict[str, Any]]:
        return library.documents()

    @routes.get("/api/documents/{doc_id:path}", summary="One article's full original text and metadata")
    def document(doc_id: str) -> dict[str, Any]:
        found = library.document(doc_id)
        if found is None:
            raise ApiError(404, f"no document {doc_id!r}", "not_found")
        text, meta = found
        return {"doc_id": doc_id, "meta": meta, "text": text}

    @routes.post(
        "/api/documents",
        status_code=201,
        summary="Upload and index an article (admins only when authentication is on)",
        dependencies=ADMIN_ONLY,
        responses={
            403: {"description": "Not an admin"},
            409: {"description": "Id taken or ingest busy"},
            413: {"description": "Too large"},
            415: {"description": "Unsupported file type"},
            422: {"description": "Unreadable"},
        },
    )
    def upload(
        file: Annotated[UploadFile, File(description="An article: .txt .md .html .pdf .docx")],
    ) -> dict[str, Any]:
        """Indexed incrementally; uploading a file with the same name again replaces it."""
        name = file.filename or ""
        size = file.size if file.size is not None else 0
        try:
            library.check_upload(name, size)
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "upload"
                with path.open("wb") as out:
                    while chunk := file.file.read(UPLOAD_READ_BYTES):
                        out.write(chunk)
                report = library.add(name, path)
        except UploadRejected as exc:
            raise ApiError(exc.status, str(exc), exc.code) from None
        return report.model_dump()

    @routes.delete(
        "/api/documents/{doc_id:path}",
        summary="Remove an article from the index (admins only when authentication is on)",
        dependencies=ADMIN_ONLY,
    )
    def remove(doc_id: str) -> dict[str, Any]:
        removed = library.remove([doc_id])
        if not removed:
            raise ApiError(404, f"no document {doc_id!r}", "not_found")
        return {"removed": removed}

    return routes
