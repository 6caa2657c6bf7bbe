"""From a question to a cited answer, and the front ends (CLI, web chat, HTTP API)."""

from assistant.models import Answer, Citation, Turn
from assistant.pipeline import Assistant, answer
from assistant.settings import Settings

__all__ = ["Answer", "Assistant", "Citation", "Settings", "Turn", "answer"]
