"""Reads of movements shared by several places: which movements concern a user, which criteria
a unit answers, who is told, who is late, and the rows of the office's dashboard and of a
council member's supervision."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from thidua.movements.models import (
    Criterion,
    Movement,
    Participant,
    ParticipantKind,
    ProgressReport,
    Registration,
    ReportPeriod,
    Supervision,
    UnitPlan,
)
from thidua.orgs.models import Kind, Membership, Organisation, Role, User, today

OPEN = [Movement.Status.PUBLISHED]
SENT = (Registration.State.SUBMITTED, Registration.State.ACCEPTED)
REPORT_SENT = (ProgressReport.State.SUBMITTED, ProgressReport.State.ACCEPTED)

# Which of the plan's participant kinds (IV.1) an organisation answers to, by its kind.
PARTICIPANT_KIND = {
    Kind.GOVERNMENT: ParticipantKind.AGENCIES,
    Kind.SPECIALISED_OFFICE: ParticipantKind.AGENCIES,
    Kind.PUBLIC_SERVICE_UNIT: ParticipantKind.AGENCIES,
    Kind.SCHOOL: ParticipantKind.AGENCIES,
    Kind.PEOPLES_COMMITTEE: ParticipantKind.PARTY_AND_GOVERNMENT,
    Kind.PARTY_BODY: ParticipantKind.PARTY_AND_GOVERNMENT,
    Kind.FRONT_MASS_ORG: ParticipantKind.FRONT_AND_MASS_ORGANISATIONS,
    Kind.HEALTH_FACILITY: ParticipantKind.FRONTLINE,
    Kind.POLICE_ARMY: ParticipantKind.FRONTLINE,
    Kind.ENTERPRISE: ParticipantKind.ENTERPRISES,
}


def _ancestor_ids(organisation) -> list[int]:
    return [int(p) for p in organisation.path.strip("/").split("/") if p]


def movements_for(membership):
    """Open movements that the member's organisation acts on in the member's role."""
    org = membership.organisation
    qs = Movement.objects.filter(status__in=OPEN).select_related("issuer")
    role = membership.role
    if role == Role.RECEIVING_OFFICE:
        return qs.filter(receiving_office=org)
    if role == Role.COUNCIL_SECRETARIAT:
        return qs.filter(council_secretariat=org)
    if role == Role.COMMUNICATIONS_EDITOR:
        return qs.filter(communications_editors=org)
    if role in {Role.COUNCIL_MEMBER, Role.CHAIRMAN}:
        return qs.filter(issuer=org)
    if role == Role.VIEWER:
        return qs.filter(Q(issuer__path__startswith=org.path) | Q(issuer_id__in=_ancestor_ids(org)))
    # Units take part in the movements launched by their own body or any body above it, and in
    # those that list them as participants.
    listed = Exists(Participant.objects.filter(
        movement=OuterRef("pk"), organisation=org, removed_on__isnull=True))
    return qs.filter(Q(issuer_id__in=_ancestor_ids(org)) | listed)


def criteria_for(movement, organisation) -> list[Criterion]:
    """The criteria aimed at the unit's kind of participant; all of them when none is."""
    criteria = list(movement.criteria.all())
    kind = PARTICIPANT_KIND.get(organisation.kind)
    mine = [c for c in criteria if c.participant_kind == kind]
    return mine or criteria


def unit_people(organisations) -> list[User]:
    """The officers and heads of these units, who are told about their movement's work."""
    ids = [o.pk for o in organisations]
    return list(User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active_on().filter(
            organisation_id__in=ids, role__in=[Role.UNIT_OFFICER, Role.UNIT_HEAD]
        ).values("user_id")).order_by("pk"))


def office_people(movement) -> list[User]:
    """The movement's office: its council secretariat and its receiving office."""
    return list(User.objects.filter(is_active=True, pk__in=Membership.objects.active_on().filter(
        Q(organisation=movement.council_secretariat_id, role=Role.COUNCIL_SECRETARIAT)
        | Q(organisation=movement.receiving_office_id, role=Role.RECEIVING_OFFICE)
    ).values("user_id")).order_by("pk"))


def registration_is_late(movement, day: date | None = None) -> bool:
    deadline = movement.registration_deadline
    return deadline is not None and (day or today()) > deadline


def units_for(user, movement) -> list[Organisation]:
    """The participating units this user prepares registrations, plans and reports for."""
    if not user.is_authenticated:
        return []
    mine = user.organisations_with_role(Role.UNIT_OFFICER, Role.UNIT_HEAD)
    listed = set(movement.participants.current().filter(
        organisation__in=mine).values_list("organisation_id", flat=True))
    return [o for o in mine if o.pk in listed]


# --- progress of the units ---------------------------------------------------------------------


@dataclass
class UnitRow:
    """Where one participating unit stands in a movement (a line of the dashboard)."""

    organisation: Organisation
    removed: bool = False
    registration: Registration | None = None
    plan: UnitPlan | None = None
    reports: dict = field(default_factory=dict)  # period id → ProgressReport
    dossiers: dict = field(default_factory=dict)  # dossier state label → count
    late: list = field(default_factory=list)  # labels of what is late
    soon: list = field(default_factory=list)  # labels of what falls due soon
    late_keys: set = field(default_factory=set)  # "registration", "plan", "report-<id>"
    by_period: list = field(default_factory=list)  # (period, report or None), in period order
    participant: Participant | None = None

    @property
    def registration_state(self) -> str:
        return self.registration.state if self.registration else ""

    @property
    def dossier_total(self) -> int:
        return sum(self.dossiers.values())


def dossier_states(movement):
    """The dossier model's states, read from the relation (nominations sits above us)."""
    model = Movement._meta.get_field("dossiers").related_model
    return model.State


def deadlines(movement) -> list[tuple[str, str, date, object]]:
    """Every deadline of the movement as (key, label, day, period or None)."""
    found = []
    if movement.registration_deadline:
        found.append(("registration", _("Đăng ký thi đua"), movement.registration_deadline, None))
    if movement.plan_deadline:
        found.append(("plan", _("Kế hoạch của đơn vị"), movement.plan_deadline, None))
    for period in movement.report_periods.all():
        found.append((f"report-{period.pk}", period.title, period.due_on, period))
    if movement.dossier_deadline:
        found.append(("dossier", _("Hồ sơ đề nghị khen thưởng"), movement.dossier_deadline, None))
    return found


def units_with_dossiers_sent(movement) -> set[int]:
    """The units that have sent at least one dossier of the movement (submitted or further on).
    A draft is not sent, a returned one is owed again and a withdrawn one is no dossier."""
    states = dossier_states(movement)
    unsent = (states.DRAFT, states.RETURNED, states.WITHDRAWN)
    return set(movement.dossiers.exclude(state__in=unsent)
               .values_list("organisation_id", flat=True).distinct())


def withdrawal(movement_id, organisation_id):
    """The unit's participant row when it was removed from the movement (rút khỏi phong trào),
    else None: a dossier it sent before says so."""
    return (Participant.objects.filter(movement_id=movement_id, organisation_id=organisation_id,
                                       removed_on__isnull=False)
            .select_related("organisation").first())


def unit_rows(movement, organisations, *, removed_ids=(), day: date | None = None,
              soon_days: int = 3) -> list[UnitRow]:
    """One row per given unit: registration, plan, reports, dossiers, and what is late or due
    soon. A fixed number of queries whatever the number of units."""
    day = day or today()
    ids = [o.pk for o in organisations]
    removed = set(removed_ids)
    rows = {o.pk: UnitRow(organisation=o, removed=o.pk in removed) for o in organisations}
    for registration in movement.registrations.filter(organisation_id__in=ids):
        rows[registration.organisation_id].registration = registration
    for plan in movement.unit_plans.filter(organisation_id__in=ids):
        rows[plan.organisation_id].plan = plan
    periods = list(movement.report_periods.all())
    for report in ProgressReport.objects.filter(period__movement=movement, organisation_id__in=ids):
        rows[report.organisation_id].reports[report.period_id] = report
    states = dossier_states(movement)
    for line in (movement.dossiers.filter(organisation_id__in=ids)
                 .values("organisation_id", "state").annotate(n=Count("pk")).order_by()):
        label = str(states(line["state"]).label)
        rows[line["organisation_id"]].dossiers[label] = line["n"]
    running = movement.status == Movement.Status.PUBLISHED
    for row in rows.values():
        row.by_period = [(period, row.reports.get(period.pk)) for period in periods]
        if not running or row.removed:
            continue
        pending = []
        if row.registration_state not in SENT:
            pending.append(("registration", "registration", movement.registration_deadline))
        if row.plan is None:
            pending.append(("plan", "plan", movement.plan_deadline))
        for period in periods:
            report = row.reports.get(period.pk)
            if report is None or report.state not in REPORT_SENT:
                pending.append((f"report-{period.pk}", period, period.due_on))
        for key, what, deadline in pending:
            if deadline is None:
                continue
            label = _deadline_label(what)
            if day > deadline:
                row.late.append(label)
                row.late_keys.add(key)
            elif (deadline - day).days <= soon_days:
                row.soon.append(label)
    return [rows[i] for i in ids]


def participant_rows(movement, participants, day: date | None = None) -> list[UnitRow]:
    """:func:`unit_rows` for a page of participants, each row knowing its participant."""
    participants = list(participants)
    rows = unit_rows(movement, [p.organisation for p in participants], day=day,
                     removed_ids=[p.organisation_id for p in participants if p.removed_on])
    for row, participant in zip(rows, participants, strict=True):
        row.participant = participant
    return rows


def _deadline_label(what) -> str:
    if isinstance(what, ReportPeriod):
        return _("Báo cáo: %(title)s") % {"title": what.title}
    return {"registration": _("Đăng ký thi đua"), "plan": _("Kế hoạch của đơn vị")}[what]


@dataclass
class Overview:
    """The office's counts for a movement (the dashboard's chart and table)."""

    participants: int
    removed: int
    registrations: dict  # state → count (missing ones under "")
    plans_filed: int
    reports: list  # (period, {state: count}, missing)
    dossiers: list  # (state label, count)


def overview(movement) -> Overview:
    """Counts by state, each one grouped query."""
    participants = movement.participants
    current = participants.filter(removed_on__isnull=True).count()
    removed = participants.filter(removed_on__isnull=False).count()
    current_ids = participants.filter(removed_on__isnull=True).values("organisation_id")
    registrations = Counter({
        line["state"]: line["n"] for line in movement.registrations.filter(
            organisation_id__in=current_ids).values("state").annotate(n=Count("pk")).order_by()})
    registrations[""] = current - sum(registrations.values())
    plans = movement.unit_plans.filter(organisation_id__in=current_ids).count()
    reports = []
    by_period = defaultdict(Counter)
    for line in (ProgressReport.objects.filter(period__movement=movement,
                                               organisation_id__in=current_ids)
                 .values("period_id", "state").annotate(n=Count("pk")).order_by()):
        by_period[line["period_id"]][line["state"]] = line["n"]
    for period in movement.report_periods.all():
        counts = by_period[period.pk]
        sent = counts[ProgressReport.State.SUBMITTED] + counts[ProgressReport.State.ACCEPTED]
        reports.append((period, counts, current - sent))
    states = dossier_states(movement)
    dossiers = [(str(states(line["state"]).label), line["n"]) for line in
                movement.dossiers.values("state").annotate(n=Count("pk")).order_by("state")]
    return Overview(participants=current, removed=removed, registrations=registrations,
                    plans_filed=plans, reports=reports, dossiers=dossiers)


# --- the budget -------------------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetUse:
    """Dự toán kinh phí khen thưởng (``Movement.budget``, whole đồng, None when the plan sets
    none) beside what the movement's issued decisions have awarded in cash."""

    budget: int | None
    spent: int

    @property
    def share(self) -> str:
        """Đã chi as a share of the budget, as the statistics write it ("44,7 %"); "" without
        a budget to divide by."""
        if not self.budget:
            return ""
        return f"{round(100 * self.spent / self.budget, 1):.1f} %".replace(".", ",")

    @property
    def over(self) -> int:
        """How far the spending has gone beyond the budget (0 within it or without one)."""
        return max(self.spent - self.budget, 0) if self.budget is not None else 0


def budget_use(movement) -> BudgetUse:
    """The movement's budget and its spending: the cash of its issued decisions, each award once
    (a line correcting another decision's is not counted again) — the rows and the sum of the
    statistics' "du-toan" table with this movement chosen (reports.statistics.budget, a floor
    above: the models are read from the relations, as :func:`dossier_states` does). One
    aggregate query. The whole movement's figure: for its office, secretariat and
    administrators, whose statistics reach every decision of the movement."""
    decision = Movement._meta.get_field("decisions").related_model
    award = decision._meta.get_field("awards").related_model
    spent = award.objects.filter(decision__movement=movement,
                                 decision__state=decision.State.ISSUED,
                                 replaces__isnull=True).aggregate(total=Sum("cash"))["total"]
    return BudgetUse(budget=movement.budget, spent=spent or 0)


# --- supervision -------------------------------------------------------------------------------


@dataclass
class SupervisedMovement:
    movement: Movement
    assignments: list
    rows: list

    @property
    def late_rows(self) -> list:
        return [r for r in self.rows if r.late]


def supervised_units(supervisions) -> list[Organisation]:
    """The participating units under the assigned areas (an organisation and its subtree) and
    those carrying the assigned fields (a content area's units)."""
    if not supervisions:
        return []
    movement = supervisions[0].movement
    condition = Q()
    for s in supervisions:
        if s.organisation_id:
            condition |= Q(organisation__path__startswith=s.organisation.path)
        if s.content_area_id:
            condition |= Q(organisation__in=s.content_area.organisations.all())
    participants = (movement.participants.current().filter(condition)
                    .select_related("organisation").order_by("organisation__path"))
    return [p.organisation for p in participants[:500]]


def supervision_for(user, day: date | None = None) -> list[SupervisedMovement]:
    """What a council member follows: for each running movement they are assigned in, their
    units' registrations, plans and reports with what is late, late units first. Empty for
    anyone without an assignment (the home page shows the section only when there is one)."""
    if not user.is_authenticated:
        return []
    assigned = list(Supervision.objects.filter(
        member=user, movement__status=Movement.Status.PUBLISHED).select_related(
        "movement", "organisation", "content_area").order_by("movement_id", "pk"))
    result = []
    by_movement = defaultdict(list)
    for s in assigned:
        by_movement[s.movement_id].append(s)
    for items in by_movement.values():
        movement = items[0].movement
        rows = unit_rows(movement, supervised_units(items), day=day)
        rows.sort(key=lambda r: (not r.late, r.organisation.path))
        result.append(SupervisedMovement(movement=movement, assignments=items, rows=rows))
    return result
