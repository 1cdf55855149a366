"""The one shape every statistic takes: a titled table of rows, each a label and numbers. The
dashboard draws it (chart and table), the exports write it (Excel and CSV) — from the same
object, so what is downloaded is what was shown."""

from dataclasses import dataclass, field


@dataclass
class Table:
    key: str  # the address of its exports: /thong-ke/bang/<key>.xlsx
    title: str
    headers: list[str]  # the first names the label column
    rows: list[list] = field(default_factory=list)  # [label, number, number, …]
    total: list | None = None  # [label, number, …], or None
    note: str = ""
    chart_column: int = -1  # which number the chart draws (index into a row; -1: the last)
    # Extra lines shown under the table (a statistic that is not a list: medians, a budget).
    facts: list[tuple[str, str]] = field(default_factory=list)
    chartable: bool = True  # False when the rows measure different things (days and counts)

    @property
    def wide(self) -> bool:
        """Too many columns to stand beside its chart: drawn under it, full width."""
        return len(self.headers) > 4

    @property
    def chart(self) -> list[tuple[str, float]]:
        """(label, value) of each row for the bar chart."""
        out = []
        for row in self.rows:
            value = row[self.chart_column]
            out.append((str(row[0]), float(value) if isinstance(value, int | float) else 0.0))
        return out


def pivot(groups, key_label, years, measure="n"):
    """Rows of ``key`` × year counts from GROUP BY results (one dict per group, holding
    ``key``, ``year`` and ``measure``): a row per key, a column per year, then the total.
    Works on the groups the database returned, never on the rows it counted."""
    by_key: dict = {}
    for group in groups:
        cells = by_key.setdefault(group["key"], dict.fromkeys(years, 0))
        cells[group["year"]] = cells.get(group["year"], 0) + group[measure]
    rows = []
    for key, cells in by_key.items():
        numbers = [cells[y] for y in years]
        rows.append([key_label(key), *numbers, sum(numbers)])
    return rows


def column_totals(rows, label) -> list:
    if not rows:
        return [label]
    width = len(rows[0])
    return [label, *(sum(r[i] for r in rows if isinstance(r[i], int | float))
                     for i in range(1, width))]


def year_label(year) -> str:
    return str(year) if year is not None else "—"
