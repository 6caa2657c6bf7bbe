"""The API's request bodies."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from assistant.models import Answer, Turn
from assistant.validation import without_surrogates

MODEL_NAME = "ip-assistant"
MAX_HISTORY = 50  # most earlier turns a request may carry


class CleanModel(BaseModel):
    """A request body whose text, however nested, has no lone surrogates (JSON allows \\ud800;
    no encoder does): cleaned before validation, so neither an answer nor an error echoing the
    input fails to encode."""

    @model_validator(mode="before")
    @classmethod
    def _clean(cls, data: Any) -> Any:
        return without_surrogates(data)


class AskRequest(CleanModel):
    model_config = ConfigDict(extra="forbid")
    question: str = Field(description="The question, in Chinese (Simplified or Traditional) or English")
    history: list[Turn] = Field(
        default_factory=list,
        max_length=MAX_HISTORY,
        description="Earlier turns, oldest first, for follow-up questions",
    )


class FeedbackRequest(CleanModel):
    model_config = ConfigDict(extra="forbid")
    rating: Literal[1, -1] = Field(description="1 helpful, -1 not helpful")
    comment: str = Field("", max_length=4000)
    answer: Answer


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(CleanModel):
    model_config = ConfigDict(extra="allow")  # temperature, top_p ... are accepted and ignored
    model: str = MODEL_NAME
    messages: list[ChatMessage] = Field(min_length=1, max_length=2 * MAX_HISTORY + 2)
    stream: bool = False
