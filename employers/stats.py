"""Small-group suppression for the aggregates HR sees.

An employer sees figures about groups of its staff, never about a person. Any count between 1
and `threshold - 1` (settings.VAGVAL_SUPPRESSION_THRESHOLD, 5) is hidden: that is primary
suppression. Hiding one cell is not enough when the table also shows totals: a hidden cell in
a row with a visible total is the total minus the visible cells. So more cells are hidden
(complementary suppression) until nothing hidden can be computed from what is shown:

1. every additive line (a total and the parts that sum to it) holds no hidden member or at
   least two, and when its total is shown the hidden parts together hold 0 or at least
   `threshold` people (otherwise the line tells that a small group sits among them);
2. no hidden value is determined by the whole system of shown lines (checked with linear
   algebra: a hidden cell is determined exactly when its unit vector lies in the row space of
   the equations over the hidden cells).

Complements are chosen among the smallest non-zero visible members of the offending line (least
information lost), totals last. Zeros are shown: "nobody" is not a small group of people.

`suppress` works on any set of lines; `grid_suppress` builds the lines of the tables the portal
shows: rows (cases, units) by groups of columns (journey stages, outcomes, skills) with row,
column and grand totals. Several column groups share the row totals, so they are suppressed
together: one table cannot give away what another hides.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Key = Hashable


@dataclass(frozen=True)
class Line:
    """`total` equals the sum of `parts` (all keys of the value mapping)."""

    total: Key
    parts: tuple[Key, ...]


def _complement(line: Line, values: Mapping[Key, int], hidden: set[Key]) -> Key | None:
    """The member of `line` to hide next: the smallest non-zero visible part, else the total,
    else a zero part; None when everything is already hidden."""
    visible = [p for p in line.parts if p not in hidden]
    positive = sorted((p for p in visible if values[p] > 0), key=lambda p: values[p])
    if positive:
        return positive[0]
    if line.total not in hidden:
        return line.total
    return visible[0] if visible else None


def _line_is_unsafe(line: Line, values: Mapping[Key, int], hidden: set[Key], threshold: int
                    ) -> bool:  # fmt: skip
    members = [line.total, *line.parts]
    hidden_members = [m for m in members if m in hidden]
    if not hidden_members:
        return False
    if len(hidden_members) == 1:
        return True
    if line.total not in hidden:
        hidden_sum = sum(values[m] for m in hidden_members)
        return 0 < hidden_sum < threshold
    return False


def determined_cells(
    values: Mapping[Key, int], lines: Sequence[Line], hidden: set[Key]
) -> list[Key]:
    """Hidden keys whose value follows exactly from the shown values and the lines."""
    unknown = sorted(hidden, key=repr)
    if not unknown:
        return []
    col = {k: i for i, k in enumerate(unknown)}
    rows = []
    for line in lines:
        row = np.zeros(len(unknown))
        touched = False
        if line.total in col:
            row[col[line.total]] = -1.0
            touched = True
        for p in line.parts:
            if p in col:
                row[col[p]] += 1.0
                touched = True
        if touched:
            rows.append(row)
    if not rows:
        return []
    a = np.vstack(rows)
    rank = np.linalg.matrix_rank(a)
    out = []
    for k in unknown:
        e = np.zeros(len(unknown))
        e[col[k]] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            out.append(k)
    return out


def suppress(values: Mapping[Key, int], lines: Sequence[Line], *, threshold: int) -> set[Key]:
    """The keys to hide: primary (1 <= value < threshold) plus complementary suppression."""
    if threshold <= 1:
        return set()
    for line in lines:
        if values[line.total] != sum(values[p] for p in line.parts):
            raise ValueError(f"line {line.total!r} does not add up")
    hidden = {k for k, v in values.items() if 0 < v < threshold}
    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if _line_is_unsafe(line, values, hidden, threshold):
                    pick = _complement(line, values, hidden)
                    if pick is not None:
                        hidden.add(pick)
                        changed = True
        exposed = determined_cells(values, lines, hidden)
        if not exposed:
            return hidden
        # A hidden cell is still determined (a "bridge" between otherwise safe patterns):
        # hide one more member of a line through it and check again.
        target = exposed[0]
        added = False
        for line in lines:
            if target == line.total or target in line.parts:
                pick = _complement(line, values, hidden)
                if pick is not None:
                    hidden.add(pick)
                    added = True
                    break
        if not added:  # pragma: no cover - every member of its lines is hidden already
            return hidden


# --- grids: rows by groups of columns, with totals --------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One figure as shown: the value, or None when suppressed."""

    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return "–" if self.value is None else str(self.value)


@dataclass(frozen=True)
class ColumnGroup:
    """Columns that split each row (`additive`: they sum to the row total) or not (skills: a
    person counts in several columns, so only the column totals add up over rows)."""

    key: str
    columns: tuple[str, ...]
    additive: bool = True


@dataclass
class Grid:
    """A suppressed grid; read figures with `cell`, `row_total`, `column_total`, `grand`."""

    rows: tuple[str, ...]
    groups: tuple[ColumnGroup, ...]
    threshold: int
    values: dict[Key, int]
    hidden: set[Key] = field(default_factory=set)

    def _shown(self, key: Key) -> Shown:
        return Shown(None if key in self.hidden else self.values[key])

    def cell(self, row: str, group: str, column: str) -> Shown:
        return self._shown(("cell", row, group, column))

    def row_total(self, row: str) -> Shown:
        return self._shown(("row", row))

    def column_total(self, group: str, column: str) -> Shown:
        return self._shown(("col", group, column))

    def grand(self) -> Shown:
        return self._shown(("grand",))

    @property
    def hidden_count(self) -> int:
        return len(self.hidden)


def grid_suppress(
    *,
    rows: Sequence[str],
    row_totals: Mapping[str, int],
    groups: Sequence[ColumnGroup],
    counts: Mapping[tuple[str, str, str], int],
    threshold: int,
) -> Grid:
    """Suppress a grid of `counts[(row, group, column)]` with its row/column/grand totals.

    Missing counts are 0. For an additive group each row's cells must add up to its total.
    """
    values: dict[Key, int] = {}
    lines: list[Line] = []
    grand_key: Key = ("grand",)
    values[grand_key] = sum(row_totals[r] for r in rows)
    for r in rows:
        values[("row", r)] = row_totals[r]
    lines.append(Line(grand_key, tuple(("row", r) for r in rows)))
    for g in groups:
        for c in g.columns:
            col_key = ("col", g.key, c)
            parts = []
            for r in rows:
                key = ("cell", r, g.key, c)
                values[key] = int(counts.get((r, g.key, c), 0))
                parts.append(key)
            values[col_key] = sum(values[p] for p in parts)
            lines.append(Line(col_key, tuple(parts)))
        if g.additive:
            for r in rows:
                lines.append(Line(("row", r), tuple(("cell", r, g.key, c) for c in g.columns)))
            lines.append(Line(grand_key, tuple(("col", g.key, c) for c in g.columns)))
    hidden = suppress(values, lines, threshold=threshold)
    return Grid(
        rows=tuple(rows), groups=tuple(groups), threshold=threshold, values=values, hidden=hidden
    )


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (ordered[mid - 1] + ordered[mid]) / 2


# --- CSV safety ----------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> str:
    """A cell value that a spreadsheet will not run as a formula (CSV injection).

    Text beginning with = + - @ tab or carriage return gets a leading apostrophe, which
    spreadsheets show as text. Plain numbers are left alone (a count is never negative here,
    but "-3" as a number is not a formula either).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
