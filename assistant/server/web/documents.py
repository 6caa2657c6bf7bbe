"""The documents tab's events: list, upload, remove, and show an article's text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import gradio as gr

from assistant.library import Library, UploadRejected
from assistant.render.ui_text import TEXT
from assistant.server.web.layout import Layout, document_rows
from index.ingest import IngestLocked

# Changes to the index run one at a time, in the queue's "ingest" lane.
INGEST_EVENT = {"concurrency_limit": 1, "concurrency_id": "ingest", "api_visibility": "private"}


def wire_documents(
    ui: Layout, library: Library, is_admin: Callable[[str | None], bool], demo: gr.Blocks
) -> None:
    def refused(request: gr.Request | None, choice: str) -> str | None:
        """The message for a user who may not change the library (None: they may)."""
        user = getattr(request, "username", None) if request is not None else None
        return None if is_admin(user) else TEXT[ui.code(choice)]["admin_only"]

    def listing():
        rows = document_rows(library)
        return rows, gr.update(choices=[r[0] for r in rows], value=None)

    def add_files(
        paths: list[str] | None,
        choice: str,
        request: gr.Request,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ):
        t = TEXT[ui.code(choice)]
        if message := refused(request, choice):
            return (message, *listing(), None)
        if not paths:
            return (t["nothing"], *listing(), None)
        lines = []
        for i, path in enumerate(paths):
            name = Path(path).name
            progress((i, len(paths)), desc=name)
            try:
                report = library.add(name, Path(path))
                lines.append(f"{name}: {t['indexed']} ({report.chunks} chunks, {report.seconds:.1f} s)")
            except (UploadRejected, IngestLocked) as exc:
                lines.append(f"{name}: {exc}")
        progress((len(paths), len(paths)))
        return ("\n".join(lines), *listing(), None)

    ui.add.click(
        add_files,
        [ui.files, ui.lang],
        [ui.docs_status, ui.table, ui.chosen, ui.files],
        **INGEST_EVENT,  # type: ignore[arg-type]
    )

    def remove_doc(doc_id: str | None, choice: str, request: gr.Request):
        t = TEXT[ui.code(choice)]
        if message := refused(request, choice):
            return (message, *listing(), "")
        if not doc_id:
            return (t["no_doc"], *listing(), "")
        try:
            removed = library.remove([doc_id])
        except IngestLocked as exc:
            return (str(exc), *listing(), "")
        return (f"{doc_id}: {t['removed'] if removed else '?'}", *listing(), "")

    ui.remove.click(
        remove_doc,
        [ui.chosen, ui.lang],
        [ui.docs_status, ui.table, ui.chosen, ui.full_text],
        **INGEST_EVENT,  # type: ignore[arg-type]
    )

    def admin_view(request: gr.Request):
        """The documents tab is for admins: others neither see nor use it (the routes refuse them too)."""
        return gr.update(visible=is_admin(getattr(request, "username", None)))

    demo.load(admin_view, None, [ui.docs_tab], api_visibility="private", queue=False)
    ui.refresh.click(listing, None, [ui.table, ui.chosen], api_visibility="private")
    ui.docs_tab.select(listing, None, [ui.table, ui.chosen], api_visibility="private")

    def show_text(doc_id: str | None) -> str:
        found = library.document(doc_id) if doc_id else None
        return found[0] if found else ""

    ui.chosen.change(show_text, [ui.chosen], [ui.full_text], api_visibility="private")
