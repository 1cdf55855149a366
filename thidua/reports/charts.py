"""Bar charts drawn on the server as SVG (no JavaScript, no style attributes: the CSP allows
neither). The geometry is computed here; ``reports/_chart.svg`` draws it."""

from dataclasses import dataclass

from thidua.reports.tables import Table

ROW = 28  # px per bar
LABEL = 270  # px for the labels on the left
BARS = 280  # px for the longest bar
VALUE = 70  # px for the value on the right
MAX_BARS = 15  # a longer table is shown in full beside the chart
LABEL_CHARS = 32


@dataclass
class Bar:
    y: int
    width: int
    label: str  # shortened to fit
    full_label: str
    value: str


@dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    more: int  # rows not drawn
    label_x: int = LABEL - 8
    bar_x: int = LABEL


def _number(value: float) -> str:
    return f"{int(value):,}".replace(",", ".") if value == int(value) else f"{value:.1f}"


def bar_chart(table: Table) -> Chart | None:
    if not table.chartable:
        return None
    points = table.chart[:MAX_BARS]
    if not points:
        return None
    top = max(v for _l, v in points) or 1
    bars = []
    for i, (label, value) in enumerate(points):
        short = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"
        bars.append(Bar(y=i * ROW, width=max(1, round(BARS * value / top)) if value else 0,
                        label=short, full_label=label, value=_number(value)))
    return Chart(width=LABEL + BARS + VALUE, height=len(bars) * ROW, bars=bars,
                 more=max(0, len(table.chart) - MAX_BARS))
