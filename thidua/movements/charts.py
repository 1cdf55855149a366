"""The dashboard's chart: a horizontal bar chart drawn as SVG on the server (no script), from
the same rows as the table printed beside it."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from thidua.movements.models import ProgressReport, Registration

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 320


@dataclass(frozen=True)
class Line:
    label: str
    done: int
    total: int

    @property
    def missing(self) -> int:
        return max(self.total - self.done, 0)


def summary_table(counts) -> list[Line]:
    """One line per thing the units owe: how many of the participants have sent it."""
    total = counts.participants
    sent = counts.registrations.get(Registration.State.SUBMITTED, 0) \
        + counts.registrations.get(Registration.State.ACCEPTED, 0)
    lines = [Line(_("Đăng ký thi đua"), sent, total),
             Line(_("Kế hoạch của đơn vị"), counts.plans_filed, total)]
    for period, by_state, _missing in counts.reports:
        done = by_state[ProgressReport.State.SUBMITTED] + by_state[ProgressReport.State.ACCEPTED]
        lines.append(Line(_("Báo cáo: %(title)s") % {"title": period.title}, done, total))
    return lines


def bar_chart(lines: list[Line]) -> str:
    """An accessible SVG: each bar is the share sent (filled) over the participants (track).
    Colours are presentation attributes: the CSP forbids inline ``style``."""
    height = len(lines) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 80
    parts = []
    for i, line in enumerate(lines):
        y = GAP + i * (BAR_HEIGHT + GAP)
        filled = round(BAR_WIDTH * line.done / line.total) if line.total else 0
        parts.append((y, line, filled))
    body = format_html_join(
        "\n",
        '<text x="0" y="{}" font-size="12" fill="#212529">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#e9ecef"/>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#198754"/>'
        '<text x="{}" y="{}" font-size="12" fill="#212529">{}/{}</text>',
        ((y + BAR_HEIGHT - 6, line.label[:40], LABEL_WIDTH, y, BAR_WIDTH, BAR_HEIGHT,
          LABEL_WIDTH, y, filled, BAR_HEIGHT, LABEL_WIDTH + BAR_WIDTH + 6, y + BAR_HEIGHT - 6,
          line.done, line.total) for y, line, filled in parts),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" class="chart" '
        'aria-labelledby="chart-title"><title id="chart-title">{}</title>'
        '<g>{}</g></svg>',
        width, height, _("Số đơn vị đã gửi trên tổng số đơn vị tham gia"), body)
