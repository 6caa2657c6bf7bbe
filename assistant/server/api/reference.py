"""GET /docs: the API reference as plain HTML built from the OpenAPI schema (no CDN scripts)."""

from __future__ import annotations

import html
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

STYLE = (
    "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;color:#222}"
    "code,pre{background:#f4f4f4;padding:.1em .3em}h3{margin-bottom:.2em}</style>"
)


def docs_page(schema: dict[str, Any]) -> str:
    title = html.escape(schema["info"]["title"])
    out = [
        f"<!doctype html><meta charset='utf-8'><title>{title} API</title>",
        STYLE,
        f"<h1>{title} API</h1>",
        "<p>Machine-readable schema: <a href='openapi.json'>openapi.json</a>. "
        "The chat's Gradio endpoints are listed under <a href='/?view=api'>?view=api</a>.</p>",
    ]
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            out.append(f"<h3><code>{html.escape(method.upper())} {html.escape(path)}</code></h3>")
            out.append(f"<p>{html.escape(op.get('summary', ''))}</p>")
            if op.get("description"):
                out.append(f"<pre>{html.escape(op['description'])}</pre>")
    return "\n".join(out)


def add_reference(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))
