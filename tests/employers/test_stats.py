"""The suppression function: primary and complementary suppression, attacked like a reader
with a pencil would (solving every line with a single unknown, again and again), and checked
against brute force on tiny tables; plus CSV formula neutralisation."""

from __future__ import annotations

import itertools
import random

import pytest

from employers.stats import (
    ColumnGroup,
    Line,
    csv_safe,
    determined_cells,
    grid_suppress,
    median,
    suppress,
)

T = 5


def _lines_and_values(table: list[list[int]]) -> tuple[dict, list[Line]]:
    grid = grid_suppress(
        rows=[str(r) for r in range(len(table))],
        row_totals={str(r): sum(row) for r, row in enumerate(table)},
        groups=[ColumnGroup("g", tuple(str(c) for c in range(len(table[0]))))],
        counts={(str(r), "g", str(c)): v for r, row in enumerate(table) for c, v in
                enumerate(row)},
        threshold=T,
    )  # fmt: skip
    return grid, grid.values


def pencil_attack(values: dict, lines: list[Line], hidden: set) -> dict:
    """Solve every line that has exactly one unknown, until nothing more can be solved."""
    known = {k: v for k, v in values.items() if k not in hidden}
    progress = True
    while progress:
        progress = False
        for line in lines:
            members = [line.total, *line.parts]
            unknown = [m for m in members if m not in known]
            if len(unknown) != 1:
                continue
            u = unknown[0]
            if u == line.total:
                known[u] = sum(known[p] for p in line.parts)
            else:
                known[u] = known[line.total] - sum(known[p] for p in line.parts if p != u)
            progress = True
    return {k: v for k, v in known.items() if k in hidden}


def _grid_lines(grid) -> list[Line]:
    rows = grid.rows
    lines = [Line(("grand",), tuple(("row", r) for r in rows))]
    for g in grid.groups:
        for c in g.columns:
            lines.append(Line(("col", g.key, c), tuple(("cell", r, g.key, c) for r in rows)))
        if g.additive:
            for r in rows:
                lines.append(Line(("row", r), tuple(("cell", r, g.key, c) for c in g.columns)))
            lines.append(Line(("grand",), tuple(("col", g.key, c) for c in g.columns)))
    return lines


def test_small_cells_are_hidden_and_cannot_be_recomputed_from_totals() -> None:
    grid, values = _lines_and_values([[3, 10, 12], [8, 9, 0]])
    assert grid.cell("0", "g", "0").hidden  # 3 < 5
    # The row total is shown, so a second cell in row 0 must be hidden too...
    assert sum(grid.cell("0", "g", c).hidden for c in "012") >= 2
    # ...and the column of the 3 needs a second hidden member as well.
    assert grid.cell("1", "g", "0").hidden or grid.column_total("g", "0").hidden
    assert not grid.cell("1", "g", "2").hidden and grid.cell("1", "g", "2").value == 0
    assert pencil_attack(values, _grid_lines(grid), grid.hidden) == {}


def test_zero_is_shown_and_big_groups_stay_visible() -> None:
    grid, _values = _lines_and_values([[5, 0, 7], [6, 9, 0]])
    assert grid.hidden == set()
    assert grid.grand().value == 27


def test_a_total_below_the_threshold_hides_its_whole_row() -> None:
    grid, values = _lines_and_values([[1, 2, 0], [8, 9, 10], [7, 6, 5]])
    assert grid.row_total("0").hidden
    assert grid.cell("0", "g", "0").hidden and grid.cell("0", "g", "1").hidden
    assert pencil_attack(values, _grid_lines(grid), grid.hidden) == {}
    assert grid.grand().value is None or grid.row_total("1").hidden or grid.row_total("2").hidden


def test_hidden_parts_of_a_line_never_add_up_to_a_small_known_group() -> None:
    # 1 and 2 hidden in the same row would tell "3 people sit in these two cells".
    grid, values = _lines_and_values([[1, 2, 20], [10, 10, 10]])
    for line in _grid_lines(grid):
        if line.total in grid.hidden:
            continue
        hidden_sum = sum(values[p] for p in line.parts if p in grid.hidden)
        assert hidden_sum == 0 or hidden_sum >= T


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_survive_the_attacks(seed: int) -> None:
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 5), rng.randint(2, 6)
    table = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20]) for _ in range(cols)]
             for _ in range(rows)]  # fmt: skip
    grid, values = _lines_and_values(table)
    lines = _grid_lines(grid)
    for key, v in values.items():
        if 0 < v < T:
            assert key in grid.hidden, "every small group is hidden"
    assert pencil_attack(values, lines, grid.hidden) == {}
    assert determined_cells(values, lines, grid.hidden) == []
    for line in lines:
        members = [line.total, *line.parts]
        assert sum(m in grid.hidden for m in members) != 1
        if line.total not in grid.hidden:
            s = sum(values[p] for p in line.parts if p in grid.hidden)
            assert s == 0 or s >= T


def test_determined_cells_agrees_with_brute_force_on_tiny_systems() -> None:
    """A hidden value is 'determined' exactly when every non-negative solution agrees on it."""
    rng = random.Random(7)
    for _ in range(150):
        table = [[rng.randint(0, 3) for _ in range(2)] for _ in range(2)]
        values = {("c", r, c): table[r][c] for r in range(2) for c in range(2)}
        values.update({("r", r): sum(table[r]) for r in range(2)})
        values.update({("k", c): table[0][c] + table[1][c] for c in range(2)})
        values["g"] = sum(map(sum, table))
        lines = [Line(("r", r), (("c", r, 0), ("c", r, 1))) for r in range(2)]
        lines += [Line(("k", c), (("c", 0, c), ("c", 1, c))) for c in range(2)]
        lines += [Line("g", (("r", 0), ("r", 1))), Line("g", (("k", 0), ("k", 1)))]
        keys = sorted(values, key=repr)
        hidden = set(rng.sample(keys, rng.randint(1, 4)))
        unknown = sorted(hidden, key=repr)
        solutions = []
        for guess in itertools.product(range(13), repeat=len(unknown)):
            trial = {**values, **dict(zip(unknown, guess, strict=True))}
            if all(trial[ln.total] == sum(trial[p] for p in ln.parts) for ln in lines):
                solutions.append(trial)
        brute = sorted((k for k in unknown if len({s[k] for s in solutions}) == 1), key=repr)
        # Linear determination implies brute-force determination; the converse can fail only
        # through non-negativity bounds, which the "small hidden sum" rule covers in suppress.
        assert set(determined_cells(values, lines, hidden)) <= set(brute)


def test_suppress_refuses_inconsistent_lines() -> None:
    with pytest.raises(ValueError):
        suppress({"t": 5, "a": 1, "b": 1}, [Line("t", ("a", "b"))], threshold=T)


def test_non_additive_groups_only_link_through_column_totals() -> None:
    """Skills: a person has several, so a unit's skill counts do not add up to its headcount."""
    grid = grid_suppress(
        rows=["ekonomi", "it"],
        row_totals={"ekonomi": 6, "it": 7},
        groups=[ColumnGroup("skills", ("excel", "sql"), additive=False)],
        counts={("ekonomi", "skills", "excel"): 6, ("it", "skills", "excel"): 7,
                ("ekonomi", "skills", "sql"): 2, ("it", "skills", "sql"): 7},
        threshold=T,
    )  # fmt: skip
    assert grid.cell("ekonomi", "skills", "excel").value == 6
    assert grid.cell("ekonomi", "skills", "sql").hidden
    # Column total 9 is shown, so IT's 7 must be hidden too (else 9 - 7 = 2).
    assert grid.cell("it", "skills", "sql").hidden or grid.column_total("skills", "sql").hidden
    assert grid.row_total("ekonomi").value == 6


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+46701234567", "'+46701234567"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("Ekonomi", "Ekonomi"),
        (12, "12"),
        (None, ""),
        ("–", "–"),
    ],
)
def test_csv_cells_cannot_start_a_formula(value: object, expected: str) -> None:
    assert csv_safe(value) == expected


def test_median() -> None:
    assert median([]) is None
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5
