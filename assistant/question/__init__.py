"""What a question asks, analysed once: its language, key-term groups, places, years, the kind of
answer it wants. `analyse(text)` makes the `Question` every later step reads."""

from assistant.question.analysis import BROAD_PLACES, YEAR, analyse, question_language
from assistant.question.model import Question

__all__ = ["BROAD_PLACES", "YEAR", "Question", "analyse", "question_language"]
