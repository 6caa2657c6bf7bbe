"""Award tallies (获1金2银7优秀): one count per grade of the award a sentence names."""

from __future__ import annotations

import re

from index.figures import Figure

_AWARD_TALLY = re.compile(r"(?<=[获得])\s*(?:\d+\s*(?:金|银|铜|优秀)(?:奖)?\s*)+")
_AWARD_GRADE = re.compile(r"(?P<n>\d+)\s*(?P<grade>金|银|铜|优秀)(?:奖)?")


def award_tallies(text: str, form: str) -> dict[Figure, str]:
    """获1金2银7优秀 in a sentence about an award (第二十五届中国专利奖评选中): one count per grade,
    each of that award's grade (中国专利奖金奖, in the text's script), in awards (项)."""
    out: dict[Figure, str] = {}
    for tally in _AWARD_TALLY.finditer(form):
        start = max(form.rfind(c, 0, tally.start()) for c in "。！？!?；;\n") + 1
        awards = list(re.finditer(r"(?:[^\W\d_]{2,8}?)奖", form[start : tally.start()]))
        if not awards:
            continue
        a, b = start + awards[-1].start(), start + awards[-1].end()
        edition = re.match(r".*?(?:届|在)", form[a:b])  # 第二十五届 is the edition, not the name
        name = text[a + (edition.end() if edition else 0) : b]
        for m in _AWARD_GRADE.finditer(form, tally.start(), tally.end()):
            figure = Figure(text[m.start() : m.end()], m.start(), m.end(), float(m["n"]), "项")
            out[figure] = f"{name}{text[m.start('grade') : m.end('grade')]}{name[-1]}"
    return out
