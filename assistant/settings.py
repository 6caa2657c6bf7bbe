"""One typed settings tree: the index sections plus answering, LLM and server sections.

Read from (highest first) explicit values and CLI flags, environment variables prefixed
`IP_ASSISTANT_` (a section's field: `IP_ASSISTANT_LLM_BASE_URL`, `IP_ASSISTANT_CHROMA_HOST`), a
TOML settings file (`IP_ASSISTANT_SETTINGS_FILE`, default `ip-assistant.toml` if present).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from index.settings import IndexSettings


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetrievalSettings(_Section):
    depth: int = Field(60, description="Candidates taken from each of BM25 and dense search.")
    top_k: int = Field(12, description="Fused chunks passed to answering.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    fusion: str = Field(
        "auto",
        description="score (scaled BM25 + weight x cosine), scaled (the same with cosines min-max scaled, "
        "other-language passages not on dense search alone), rrf (reciprocal rank), learned (scaled, its top "
        "reordered by the model fitted for e5, index/data/fusion.json; e5 only), or auto: score for "
        "the hashing embedder, learned for the one the model was fitted for (e5), scaled for other neural ones.",
    )
    dense_weight: float | None = Field(
        None,
        description="Weight of dense search in the fusion (0 turns it off); unset: 0.2 for the hashing "
        "embedder, 0.7 for neural ones (measured in docs/performance.md).",
    )


class AnswerSettings(_Section):
    max_question_chars: int = Field(
        2000,
        description="Longer questions are refused with a message; earlier turns' questions are cut to it.",
    )
    max_history_chars: int = Field(
        20000,
        description="Most characters of earlier turns together; older turns are dropped (the API refuses more).",
    )
    timeout_s: float = Field(
        60.0, description="Work on one question stops after this many seconds (the API answers 503)."
    )
    workers: int = Field(
        0,
        description="Questions analysed, searched and answered extractively at once in each answering "
        "process (0: four per CPU core, shared out among answer.processes); the others wait their turn "
        "in order. Waiting for a model does not hold a turn.",
    )
    processes: int = Field(
        0,
        ge=0,
        description="Processes answering questions in the server, each with its own copy of the index "
        "(assistant.pool); answer.workers applies to each. 0: one per CPU core over a Chroma server "
        "with extractive answers, else 1. 1 answers in the serving process; an embedded store is "
        "always answered there (its folder belongs to one process).",
    )
    max_answer_chars: int = Field(600, description="Longest answer text (citations not counted).")
    max_summary_chars: int = Field(
        1200,
        description="Longest text of a summary, comparison or change over time (lists keep max_answer_chars).",
    )
    max_sentences: int = Field(3, description="Most sentences in an extractive answer.")
    min_support: float = Field(0.5, description="Share of the question's key terms an answer must cover.")
    related: int = Field(3, description="Closest passages listed when the question cannot be answered.")
    retrieval_weight: float = Field(
        0.3,
        description="Weight of a passage's retrieval score in choosing sentences, all passages in one language.",
    )
    mixed_retrieval_weight: float = Field(
        0.15,
        description="The same where passages in the question's language and the other compete "
        "(their retrieval scores, partly from translations, compare less well).",
    )
    second_sentence: float = Field(
        0.25,
        description="Add the runner-up sentence of the same passage when its score is within this margin (0 never).",
    )
    min_confidence: float = Field(
        0.05,
        ge=0.0,
        le=1.0,
        description="A single-fact answer whose confidence (the answer selector's calibrated probability "
        "that it is right) is lower is refused, listing the closest passages; 0 never refuses by "
        "confidence. The default is the selector's validated domain floor (`ip-assistant train` prints "
        "it): the highest threshold that, out of fold, withholds at most one right answer to the bundled question "
        "sets; the threshold for answers right 95 % of the time in a mix of mostly answerable questions "
        "is far higher and refuses far more (docs/evaluation.md).",
    )


class LLMSettings(_Section):
    backend: str = Field(
        "none", description="none (extractive answers), openai (any OpenAI-compatible server) or ollama."
    )
    base_url: str | None = Field(
        None, description="Endpoint, e.g. http://127.0.0.1:8000/v1 or http://127.0.0.1:11434."
    )
    model: str | None = Field(None, description="Model name on that server.")
    api_key: str | None = Field(None, description="API key (OpenAI-compatible servers).")
    timeout_s: float = Field(30.0, description="Timeout of one model request.")
    max_retries: int = Field(1, description="Retries of a failed model request.")
    context_window: int = Field(8192, description="Tokens the model accepts, prompt and answer together.")
    max_tokens: int = Field(512, description="Most tokens of a generated answer.")
    temperature: float = Field(0.0, description="Sampling temperature.")


class ServerSettings(_Section):
    host: str = Field("127.0.0.1", description="Interface to bind; non-loopback needs auth or allow_remote.")
    port: int = Field(7860, description="Port of the web chat and API.")
    allow_remote: bool = Field(False, description="Bind a non-loopback host without authentication.")
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to (DNS rebinding); empty: addresses and localhost "
        "without authentication, any name with it.",
    )
    users: dict[str, str] = Field(
        default_factory=dict, description="user -> password hash (ip-assistant hash-password)."
    )
    api_tokens: list[str] = Field(default_factory=list, description="Bearer tokens accepted by the API.")
    admins: list[str] = Field(
        default_factory=list,
        description="Users with the admin role: with authentication on, only admins upload or delete documents.",
    )
    admin_tokens: list[str] = Field(default_factory=list, description="Bearer tokens with the admin role.")
    login_failures: int = Field(
        5, description="Failed logins (form or Basic) from one address, or for one user, before a lockout."
    )
    login_window_s: float = Field(
        60.0, description="Window the failed logins are counted in; the lockout lasts until they age out."
    )
    max_upload_mb: float = Field(20.0, description="Largest uploaded article.")
    concurrency: int = Field(
        32,
        description="Chat events in progress at once (a question answered and its answer streamed "
        "out); the CPU-bound part of answering takes turns on answer.workers.",
    )
    queue_size: int = Field(256, description="Most questions waiting in the chat queue.")
    language: str = Field("auto", description="UI language: auto (browser), zh, zh-Hant or en.")


class Settings(BaseSettings, IndexSettings):
    model_config = SettingsConfigDict(
        env_prefix="IP_ASSISTANT_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="forbid",
    )

    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = Path(os.environ.get("IP_ASSISTANT_SETTINGS_FILE", "ip-assistant.toml"))
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if path.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
        return tuple(sources)

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with dotted overrides, e.g. with_overrides(**{"llm.model": "x"})."""
        data = self.model_dump()
        for dotted, value in values.items():
            node = data
            *parents, last = dotted.split(".")
            for part in parents:
                node = node[part]
            node[last] = value
        return Settings.model_validate(data)
