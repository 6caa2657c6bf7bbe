"""A table that a web page's layout flattened into one cell a line (序号 / 省份 / 城市 / 1 / 北京 /
海淀区 / 2 / 朝阳区 …): read back into rows, where a row numbered n holds the cells up to n + 1 and a
row with fewer cells than columns shares its leading cells with the row above (a merged cell).
Counts over it (how many places of these provinces, how many provinces) are computed and cited."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.kinds.kit import Kit
from assistant.kinds.parts import Sentence, shown
from assistant.models import Answer
from index.analysis import search_form
from index.glossary import default_glossary
from index.normalize import to_simplified

_HEADER_MAX = 8  # characters of a column name
_CELL_MAX = 16  # characters of a cell
_MOST_COLUMNS = 8


@dataclass(frozen=True)
class Row:
    number: Sentence
    cells: tuple[Sentence, ...]  # one per column after the number; shared cells repeated

    def value(self, column: int) -> str:
        return self.cells[column].text.strip()


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]  # the names of the columns after the number column
    rows: tuple[Row, ...]


def read_table(lines: Sequence[Sentence]) -> Table | None:
    """The first numbered table of a document's lines, or None (fewer than three rows): row 1 is
    whole, so the lines between 1 and 2 are as many as the columns after the number column, and
    as many lines above 1, and one for the number column, are the column names."""
    texts = [s.text.strip() for s in lines]
    for at, text in enumerate(texts):
        if text != "1" or "2" not in texts[at + 2 : at + 2 + _MOST_COLUMNS]:
            continue
        width = texts.index("2", at + 2) - at - 1
        head = texts[at - width - 1 : at] if at > width else []
        if len(head) != width + 1 or not all(_name(h) for h in head):
            continue
        table = _rows(lines, at, tuple(head[1:]))
        if table is not None and len(table.rows) >= 3:
            return table
    return None


def _name(text: str) -> bool:
    """A column name: short, no digits."""
    return 0 < len(text) <= _HEADER_MAX and not any(ch.isdigit() for ch in text)


def _rows(lines: Sequence[Sentence], at: int, columns: tuple[str, ...]) -> Table | None:
    rows: list[Row] = []
    number, cells, start = 1, list[Sentence](), lines[at]
    previous: tuple[Sentence, ...] = ()
    for line in lines[at + 1 :]:
        text = line.text.strip()
        if text == str(number + 1):
            row = _row(start, cells, previous, len(columns))
            if row is None:
                return None
            rows.append(row)
            previous, number, cells, start = row.cells, number + 1, [], line
            continue
        if len(cells) == len(columns) or len(text) > _CELL_MAX:
            break  # the table has ended: the last row is complete
        cells.append(line)
    row = _row(start, cells, previous, len(columns))
    if row is not None:
        rows.append(row)
    return Table(columns, tuple(rows)) if rows else None


def _row(number: Sentence, cells: list[Sentence], previous: tuple[Sentence, ...], width: int) -> Row | None:
    if not cells or len(cells) > width:
        return None
    if len(cells) < width:
        if len(previous) != width:
            return None
        cells = [*previous[: width - len(cells)], *cells]  # a merged cell from the row above
    return Row(number, tuple(cells))


def named_values(table: Table, question: str) -> tuple[int, set[str]] | None:
    """The column whose values the question names (湖北和湖南, Hubei and Hunan, 东北三省), and those
    values: by their words, or by the glossary concept of a value (or of a larger place holding it)
    the question names in another language or as a region."""
    form = to_simplified(question)
    asked = {m.concept.id for m in default_glossary().mentions(search_form(form))}
    for regions in (False, True):  # values named themselves first, else by a region holding them
        best: tuple[int, set[str]] | None = None
        for column in range(len(table.columns)):
            values = {row.value(column) for row in table.rows}
            named = {v for v in values if v in form or _named(_concepts(v), asked, regions)}
            if named and (best is None or len(named) > len(best[1])):
                best = (column, named)
        if best is not None:
            return best
    return None


def named_column(table: Table, question: str) -> int | None:
    """The column the question counts by its name (多少个省份, how many provinces)."""
    form = to_simplified(question)
    for column, name in enumerate(table.columns):
        core = re.sub(r"[(（].*?[)）]", "", name)
        if core and core in form:
            return column
    return None


def _named(concepts: set[str], asked: set[str], regions: bool) -> bool:
    """A value the question names by its concept, or (`regions`) by a larger place it lies in."""
    if concepts & asked:
        return True
    return regions and any(default_glossary().ancestors(c) & asked for c in concepts)


def _concepts(value: str) -> set[str]:
    return {m.concept.id for m in default_glossary().mentions(search_form(value))}


ROSTER = re.compile(r"名单|榜单|上榜|入选|入围|\blist(?:ed)?\b", re.I)


def table_of(kit: Kit) -> Table | None:
    """The flattened table of the best retrieved article that has one, where the question speaks
    of a list (名单, on the list)."""
    if not ROSTER.search(to_simplified(kit.searched)):
        return None
    seen: set[str] = set()
    for hit in kit.hits:
        doc_id = str(hit.meta.get("doc_id", ""))
        if not doc_id or doc_id in seen:
            continue
        seen.add(doc_id)
        table = read_table(kit.document(doc_id, hit.meta))
        if table is not None:
            return table
    return None


def count(kit: Kit) -> Answer | None:
    """How many rows hold the values the question names (places of Hubei and Hunan), or how many
    distinct values the column it names holds (how many provinces): computed, the rows cited."""
    table = table_of(kit)
    if table is None:
        return None
    named = named_values(table, kit.searched)
    if named is not None:
        column, values = named
        rows = [r for r in table.rows if r.value(column) in values]
        last = len(table.columns) - 1
        items = [f"{r.value(column)} {r.value(last)}" if column != last else r.value(last) for r in rows]
        cited = [c for r in rows for c in dict.fromkeys((r.cells[column], r.cells[last]))]
        return _counted(kit, len(rows), items, cited)
    counted = named_column(table, kit.searched)
    if counted is None:
        return None
    firsts: dict[str, Sentence] = {}
    for r in table.rows:
        firsts.setdefault(r.value(counted), r.cells[counted])
    return _counted(kit, len(firsts), list(firsts), list(firsts.values()))


def _counted(kit: Kit, total: int, items: list[str], cited: list[Sentence]) -> Answer:
    names = "、".join(items)
    if cited:
        names = shown(names, kit.language, str(cited[0].meta.get("language") or ""))
    lead = f"{total} in total (computed: counted {names})" if kit.english else f"共{total}个（计算：{names}）"
    return kit.render([lead], list(dict.fromkeys(cited)), long=True)


def listed(kit: Kit) -> Answer | None:
    """The rows of the values the question names (the cities of Hebei and Jilin on the list)."""
    table = table_of(kit)
    named = named_values(table, kit.searched) if table is not None else None
    if table is None or named is None or named[0] == len(table.columns) - 1:
        return None
    column, values = named
    last = len(table.columns) - 1
    rows = [r for r in table.rows if r.value(column) in values]
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r.value(column), []).append(r.value(last))
    lead = "；".join(f"{k}：{'、'.join(v)}" for k, v in groups.items())
    lead = shown(lead, kit.language, str(rows[0].cells[last].meta.get("language") or ""))
    cited = [c for r in rows for c in dict.fromkeys((r.cells[column], r.cells[last]))]
    return kit.render([lead], list(dict.fromkeys(cited)), long=True)
