"""Answers as plain text: the CLI's full listing and the OpenAI-compatible reply (answer, then its
sources). The reply's format lives only here, so a client's echoed reply is read back here too."""

from __future__ import annotations

from assistant.models import Answer, Citation

# Heads of the source list under a reply, by whether the question was English.
SOURCES_HEAD = {False: "来源：", True: "Sources:"}
RELATED_HEAD = {False: "相关段落：", True: "Related passages:"}
# The CLI's listing writes the related-passages head with an ASCII colon.
LISTING_RELATED_HEAD = {False: "相关段落:", True: "Related passages:"}
LISTING_RELATED_QUOTE_CHARS = 160  # a related passage's quote is cut here in the CLI listing


def _label(parts: tuple[str, ...]) -> str:
    return " · ".join(x for x in parts if x)


def sources_text(ans: Answer) -> str:
    """The citations (or, for a refusal, the related passages) as a plain-text list."""
    english = ans.language == "en"
    items = ans.citations or ans.related
    if not items:
        return ""
    lines = [SOURCES_HEAD[english] if ans.citations else RELATED_HEAD[english]]
    for c in items:
        label = _label((c.title, c.source, c.published)) or c.doc_id
        lines.append(f"[{c.n}] {label} ({c.doc_id}): “{c.quote}”")
    return "\n".join(lines)


def reply_text(ans: Answer) -> str:
    """The answer and its source list, as an OpenAI-compatible chat reply carries them."""
    sources = sources_text(ans)
    return ans.answer + (f"\n\n{sources}" if sources else "")


def answer_of_reply(reply: str) -> str:
    """The answer part of a reply made by `reply_text` (a client sends replies back as history)."""
    for head in SOURCES_HEAD.values():
        reply = reply.split(f"\n\n{head}")[0]
    return reply


def _citation_lines(c: Citation) -> list[str]:
    lines = [f"[{c.n}] {c.doc_id} — {_label((c.title, c.source, c.published))}"]
    lines.append(f"    “{c.quote}” (chars {c.start}–{c.end})")
    lines.extend(f"    {g}" for g in c.figures)
    return lines


def answer_listing(ans: Answer) -> str:
    """The CLI's view: the searched question when it differs, the answer, each citation with its
    offsets and figures, then any related passages."""
    lines = [ans.answer, ""]
    if ans.searched_question and ans.searched_question != ans.question:
        lines.insert(0, f"(searched: {ans.searched_question})")
    for c in ans.citations:
        lines.extend(_citation_lines(c))
    if ans.related:
        lines.append(LISTING_RELATED_HEAD[ans.language == "en"])
        for c in ans.related:
            lines.append(f"  - {c.doc_id}: “{c.quote[:LISTING_RELATED_QUOTE_CHARS]}”")
    return "\n".join(lines).rstrip()
