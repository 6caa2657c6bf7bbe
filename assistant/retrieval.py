"""The passages a question is answered from: hybrid search over the question's words, its dictionary
translations and the characters of names it spells in pinyin; then chunks in the other language,
found through its concepts and translations alone."""

from __future__ import annotations

from assistant.expansion import CROSSING_HITS, crossing_terms, search_terms
from assistant.names import resolved
from assistant.question import Question
from assistant.settings import Settings
from index.analysis import BIGRAM_PREFIX, bigrams
from index.search import Hit, Searcher


class Retriever:
    """Searches one index with the retrieval settings. Thread-safe."""

    def __init__(self, settings: Settings, searcher: Searcher) -> None:
        self.settings = settings
        self.searcher = searcher

    def search(self, question: Question) -> list[Hit]:
        """Hybrid search with the retrieval settings, the question's dictionary translations
        searched beside its own words."""
        cfg = self.settings.retrieval
        borrowed = search_terms(question.borrowed)
        keyword = self.searcher.keyword
        for _, names in resolved(question.spelled, lambda pair: keyword.idf(BIGRAM_PREFIX + pair) > 0):
            borrowed.update(
                dict.fromkeys([t for name in names for t in bigrams(name)], 1.0)
            )  # 王聚 for Wang Ju
        fusion, weight = self.searcher.fusion_defaults()
        return self.searcher.search(
            question.text,
            k=cfg.top_k,
            depth=cfg.depth,
            rrf_k=cfg.rrf_k,
            dense_weight=weight if cfg.dense_weight is None else cfg.dense_weight,
            fusion=fusion if cfg.fusion == "auto" else cfg.fusion,
            extra_tokens=tuple(borrowed),
            token_weights=borrowed,
        )

    def with_crossing_hits(self, question: Question, language: str, hits: list[Hit]) -> list[Hit]:
        """`hits` and up to `CROSSING_HITS` chunks in another language than the question's, found
        through its concepts and translations alone. Their scores are put on the main search's
        scale (the best of them scores as its best hit): that search is the other language's own,
        and the sentence chosen should depend on what it covers, not on which language it reaches."""
        if not question.borrowed or not hits:
            return hits
        english = language == "en"
        found = self.searcher.search(
            "",
            k=self.settings.retrieval.top_k,
            dense_weight=0.0,
            extra_tokens=crossing_terms(question.form, question.borrowed),
        )
        other = [h for h in found if (str(h.meta.get("language", "")) == "en") != english]
        if not other:
            return hits
        scale = max(h.score for h in hits) / (other[0].score or 1.0)
        crossing = {h.chunk_id: h.score * scale for h in other}
        # The same on the default fusion's scale (Hit.base_score), which answering reads.
        base = max(h.base_score for h in hits) / (other[0].score or 1.0)

        def scaled(h: Hit) -> Hit:
            return Hit(h.chunk_id, h.text, h.meta, crossing[h.chunk_id], hashing_score=h.score * base)

        # An other-language chunk the main search ranked low keeps the better of its two scores.
        by_id = {h.chunk_id: h for h in other}
        kept = [scaled(by_id[h.chunk_id]) if crossing.get(h.chunk_id, 0.0) > h.score else h for h in hits]
        have = {h.chunk_id for h in hits}
        extra = [scaled(h) for h in other if h.chunk_id not in have]
        return kept + extra[:CROSSING_HITS]


__all__ = ["Retriever"]
