"""What a composer is handed: the question, what was retrieved for it, and ways to ask the
extractive answerer a narrower question (one side of a comparison, the bridge's second hop)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answerers.extractive.candidates import Candidate
from assistant.kinds.parts import Sentence, document_sentences, of_candidate, render
from assistant.models import Answer
from index.keyword import KeywordIndex
from index.search import Hit


@dataclass
class Kit:
    question: str
    searched: str
    language: str
    hits: list[Hit]
    ranked: list[Candidate]
    keyword: KeywordIndex
    single: Callable[[str], Answer]  # the extractive answer to another question
    refuse: Callable[[], Answer]  # the refusal of this question, with the closest passages
    search: Callable[[str], list[Candidate]]  # the ranked candidate sentences for another text
    min_support: float = 0.5
    limit: int = 600  # the longest answer text (settings.answer.max_answer_chars)
    long_limit: int = 1200  # … of a summary, comparison or change (settings.answer.max_summary_chars)
    # The rows of the figures table (index/figure_table.py), read when a composer asks.
    figures: Callable[[], list[dict[str, Any]]] = field(default=lambda: [])

    @property
    def english(self) -> bool:
        return self.language == "en"

    def valid(self, limit: int = 10) -> list[Candidate]:
        """The best candidate sentences nothing rules out (another place or year, …)."""
        return [c for c in self.ranked if not c.reasons][:limit]

    def best_in_language(self, valid: list[Candidate], within: float = 0.2) -> Candidate:
        """The best candidate, or a close one from an article in the question's language: the
        answer is in the question's language where the passages allow."""
        for cand in valid:
            if (str(cand.meta.get("language")) == "en") == self.english and cand.score >= valid[
                0
            ].score - within:
                return cand
        return valid[0]

    def pool(self, limit: int = 10) -> list[Sentence]:
        return [of_candidate(c) for c in self.valid(limit)]

    def render(self, lead: Sequence[str], sentences: Sequence[Sentence], long: bool = False) -> Answer:
        """The answer: `lead` lines, then the sentences, each cited once, within the limit (`long`:
        the limit of summaries and other answers of several parts)."""
        limit = self.long_limit if long else self.limit
        return render(self.question, self.searched, self.language, lead, sentences, limit=limit)

    def sentence_of(self, row: Mapping[str, Any]) -> Sentence | None:
        """The sentence of its document that holds a figures-table row's figure."""
        meta = {k: row.get(k, "") for k in ("title", "source", "published", "language")}
        doc = self.document(str(row["doc_id"]), meta)
        start = int(row["start"])
        return next((s for s in doc if s.start <= start < s.end), None)

    def document(self, doc_id: str, meta: Mapping[str, Any]) -> list[Sentence]:
        """Every sentence of a document, in order."""
        hit_meta = {**meta, "doc_id": doc_id, "chunk": 0}
        return document_sentences(Hit(f"{doc_id}#0", "", hit_meta, 0.0), self.keyword)

    def around(self, sentences: Sequence[Sentence]) -> list[Sentence]:
        """Every sentence of the documents `sentences` come from: the lines above one (a heading
        naming its year, 计划到2025年) whether or not retrieval reached them."""
        docs = {s.doc_id: s.meta for s in sentences}
        return [line for doc_id, meta in docs.items() for line in self.document(doc_id, meta)]

    def answered(self, text: str) -> list[Sentence] | None:
        """The sentences the extractive answerer quotes for `text`, None where it refuses."""
        from assistant.kinds.parts import of_citation

        ans = self.single(text)
        return [of_citation(c) for c in ans.citations] if ans.answerable else None
