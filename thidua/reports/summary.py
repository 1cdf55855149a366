"""What a movement's summary report (báo cáo tổng kết) says, gathered from the rows: the
movement's organisation (participants, registrations, plans, reports — the movement app's own
counts), the results per criterion from the units' accepted final reports, and the awards of
the movement (the statistics of :mod:`thidua.reports.statistics`, the dashboard's numbers with
the movement chosen). It is the object of the "summary_report" document kind
(:mod:`thidua.reports.documents`), whose template lays it out.

Every text from people passes through the normaliser (:func:`thidua.core.text.nfc`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from thidua.core.text import nfc, nfc_lines
from thidua.movements.models import (
    Commitment,
    Movement,
    ParticipantKind,
    ProgressEntry,
    ProgressReport,
    Registration,
    ReportPeriod,
)
from thidua.movements.queries import overview
from thidua.reports import statistics
from thidua.reports.scope import Filters
from thidua.reports.tables import Table


def number_text(value) -> str:
    """1234 → "1.234", Decimal("80.50") → "80,5": the Vietnamese way, whatever the locale."""
    if value is None:
        return ""
    value = Decimal(value)
    whole = value == value.to_integral_value()
    if whole:
        return f"{int(value):,}".replace(",", ".")
    text = f"{value.normalize():,f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def share(part: int, whole: int) -> str:
    """"66,7" (per cent, one decimal), "—" when there is no whole."""
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}".replace(".", ",")


@dataclass
class UnitResult:
    unit: str
    done: str
    figure: Decimal | None
    note: str


@dataclass
class CriterionResult:
    code: str
    title: str
    aimed_at: str
    committed: int  # units whose accepted registration committed to it
    rows: list[UnitResult] = field(default_factory=list)
    total: Decimal | None = None  # the figures summed; None when no unit gave one

    @property
    def chart(self) -> list[tuple[str, float]]:
        return [(r.unit, float(r.figure)) for r in self.rows if r.figure is not None]


@dataclass
class Summary:
    movement: Movement
    day: date  # the report's date: the day it was gathered
    organisation: list[tuple[str, int, str]]  # (what, units, share of the participants)
    participants: int
    content_areas: list[str]
    final_periods: list[str]
    reports_accepted: int
    criteria: list[CriterionResult]
    unit_summaries: list[tuple[str, list[str]]]  # (unit, lines of its own assessment)
    conclusions: list[tuple[str, str, list[str]]]  # (round, date, lines) of the final rounds
    awards_by_form: Table | None = None
    awards_by_unit: Table | None = None


def organisation(movement) -> tuple[list[tuple[str, int, str]], int]:
    """Section I: the movement app's own counts (those of its dashboard)."""
    counts = overview(movement)
    total = counts.participants
    accepted = counts.registrations.get(Registration.State.ACCEPTED, 0)
    waiting = counts.registrations.get(Registration.State.SUBMITTED, 0)
    lines = [("Đơn vị tham gia phong trào", total)]
    if counts.removed:
        lines.append(("Đơn vị đã rút khỏi phong trào", counts.removed))
    lines += [("Đơn vị đăng ký thi đua (đã được tiếp nhận)", accepted),
              ("Đơn vị đã gửi đăng ký, chưa được tiếp nhận", waiting),
              ("Đơn vị chưa đăng ký thi đua", max(0, total - accepted - waiting)),
              ("Đơn vị đã gửi kế hoạch triển khai", counts.plans_filed)]
    for period, states, _missing in counts.reports:
        lines.append((f"Đơn vị có báo cáo “{nfc(period.title)}” được tiếp nhận",
                      states.get(ProgressReport.State.ACCEPTED, 0)))
    return [(label, n, share(n, total)) for label, n in lines], total


def results(movement, progress=lambda: None) -> tuple[list[CriterionResult], list, int]:
    """Section II: per criterion, what each unit's accepted final report says, the figures
    summed (by the database), and how many units committed to it. ``progress`` is called once
    per criterion."""
    accepted = ProgressReport.objects.filter(period__movement=movement,
                                             period__kind=ReportPeriod.Kind.FINAL,
                                             state=ProgressReport.State.ACCEPTED)
    entries = defaultdict(list)
    for entry in (ProgressEntry.objects.filter(report__in=accepted)
                  .select_related("report__organisation", "report__period")
                  .order_by("criterion__order", "report__organisation__path",
                            "report__period__due_on")):
        entries[entry.criterion_id].append(entry)
    totals = {line["criterion"]: line["total"] for line in (
        ProgressEntry.objects.filter(report__in=accepted).values("criterion")
        .annotate(total=Sum("figure")).order_by())}
    committed = {line["criterion"]: line["n"] for line in (
        Commitment.objects.filter(registration__movement=movement,
                                  registration__state=Registration.State.ACCEPTED)
        .filter(Q(pledged=True) | ~Q(target=""))
        .values("criterion").annotate(n=Count("registration", distinct=True)).order_by())}
    kinds = dict(ParticipantKind.choices)
    criteria = []
    for criterion in movement.criteria.all():
        result = CriterionResult(code=nfc(criterion.code), title=nfc(criterion.title),
                                 aimed_at=str(kinds.get(criterion.participant_kind, "")),
                                 committed=committed.get(criterion.pk, 0),
                                 total=totals.get(criterion.pk))
        several = len({e.report.period_id for e in entries[criterion.pk]}) > 1
        for entry in entries[criterion.pk]:
            unit = nfc(entry.report.organisation.name)
            if several:  # two final rounds: say which one a line comes from
                unit = f"{unit} ({nfc(entry.report.period.title)})"
            result.rows.append(UnitResult(unit=unit, done=nfc_lines(entry.done),
                                          figure=entry.figure, note=nfc(entry.note)))
        criteria.append(result)
        progress()
    summaries = [(nfc(r.organisation.name), [nfc(line) for line in r.summary.splitlines()
                                             if line.strip()])
                 for r in accepted.select_related("organisation").order_by("organisation__path",
                                                                          "period__due_on")
                 if r.summary.strip()]
    return criteria, summaries, accepted.count()


def gather(movement, user, progress=lambda: None) -> Summary:
    """Everything the report prints. ``user`` is the person who asked for it: the awards are
    counted in their scope, as their dashboard counts them. ``progress`` is called after each
    part (organisation, each criterion, commendation)."""
    lines, participants = organisation(movement)
    progress()
    criteria, summaries, reports = results(movement, progress)
    finals = list(movement.report_periods.filter(kind=ReportPeriod.Kind.FINAL))
    filters = Filters(movement=movement)
    summary = Summary(
        movement=movement, day=timezone.localdate(),
        organisation=lines, participants=participants,
        content_areas=[f"{nfc(a.code)}. {nfc(a.title)}" for a in movement.content_areas.all()],
        final_periods=[nfc(p.title) for p in finals], reports_accepted=reports,
        criteria=criteria, unit_summaries=summaries,
        conclusions=[(nfc(p.title), p.concluded_on.strftime("%d/%m/%Y") if p.concluded_on else "",
                      [nfc(line) for line in p.conclusion.splitlines() if line.strip()])
                     for p in finals if p.conclusion.strip()],
        awards_by_form=statistics.table("hinh-thuc", user, filters),
        awards_by_unit=statistics.table("don-vi", user, filters))
    progress()
    return summary


def steps(movement) -> int:
    """How many steps :func:`gather` and the writing take: organisation, one per criterion,
    commendation, then the charts and the file."""
    return movement.criteria.count() + 4
