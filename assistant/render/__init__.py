"""Answers rendered for people: plain text (CLI, OpenAI-compatible API) and safe HTML/Markdown (web)."""

from assistant.render.text import answer_listing, answer_of_reply, reply_text, sources_text

__all__ = ["answer_listing", "answer_of_reply", "reply_text", "sources_text"]
