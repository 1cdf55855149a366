"""Thống kê: the figures of DOMAIN.md §8, each one aggregate (GROUP BY) query over the rows the
person may count (:mod:`thidua.reports.scope`), returned as a :class:`~thidua.reports.tables.Table`.

What an award is counted from: the award register (``AwardRecord``) — one line per award,
whoever decided it (the city's decisions, the units' own, higher decisions recorded from a
proposal, old lists imported). Its unit is the unit that proposed the nominee; its subject
category, gender, ethnicity and frontline flag are the nominee's. A line imported from an old
list has no nominee: it counts in the totals, forms and years, under "không rõ" elsewhere, and
only for administrators (it names no unit). Cash is only on decision lines (``Award``).

No Python loop runs over counted rows; loops run over the groups the database returns (years ×
forms, units), to lay them out as rows and columns.
"""

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.models import Activity
from thidua.decisions.models import Award, Decision
from thidua.movements.models import ParticipantKind
from thidua.nominations.choices import CollectiveKind, Gender, IndividualCategory, NomineeKind
from thidua.nominations.models import AwardRecord, Deficiency, Dossier
from thidua.orgs.models import Organisation, OrganisationVersion
from thidua.reports.scope import Filters, Reach, chosen_units, identity, period
from thidua.reports.tables import Table, column_totals, pivot, year_label

COLLECTIVE = Q(subject__kind=NomineeKind.COLLECTIVE)
INDIVIDUAL = ~Q(subject__kind=NomineeKind.COLLECTIVE)
HOUSEHOLD = Q(nominee__collective_kind=CollectiveKind.HOUSEHOLD)
FRONTLINE = Q(nominee__category__startswith="frontline_")

# Đối tượng khen thưởng (DOMAIN.md §8): (key, label, condition on a register line).
SUBJECT_ROWS = [
    ("collectives", gettext_lazy("Tập thể"), COLLECTIVE & ~HOUSEHOLD),
    ("enterprises", gettext_lazy("trong đó: doanh nghiệp"),
     COLLECTIVE & Q(nominee__collective_kind=CollectiveKind.ENTERPRISE)),
    ("households", gettext_lazy("Hộ gia đình"), COLLECTIVE & HOUSEHOLD),
    ("individuals", gettext_lazy("Cá nhân"), INDIVIDUAL),
    ("leaders_province", gettext_lazy("trong đó: lãnh đạo cấp bộ, cấp tỉnh trở lên"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.LEADER_PROVINCE)),
    ("leaders_department", gettext_lazy("lãnh đạo cấp vụ, sở, ngành và tương đương"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.LEADER_DEPARTMENT)),
    ("other_leaders", gettext_lazy("lãnh đạo khác"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.OTHER_LEADER)),
    ("entrepreneurs", gettext_lazy("doanh nhân"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.ENTREPRENEUR)),
    ("direct_workers", gettext_lazy("người trực tiếp lao động, công tác"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.DIRECT_WORKER)),
    ("frontline", gettext_lazy("lực lượng tuyến đầu"), INDIVIDUAL & FRONTLINE),
    ("other", gettext_lazy("đối tượng khác"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.OTHER)),
    ("unknown", gettext_lazy("không rõ đối tượng"),
     INDIVIDUAL & (Q(nominee__isnull=True) | Q(nominee__category=""))),
]

# Cá nhân được khen (DOMAIN.md §8: share of women, ethnic minorities, frontline and direct
# workers) — aggregates only, never a list of people.
MINORITY = ~Q(nominee__ethnicity="") & ~Q(nominee__ethnicity__iexact="kinh")
PROFILE_ROWS = [
    ("women", gettext_lazy("Nữ"), INDIVIDUAL & Q(subject__gender=Gender.FEMALE)),
    ("men", gettext_lazy("Nam"), INDIVIDUAL & Q(subject__gender=Gender.MALE)),
    ("gender_unknown", gettext_lazy("Không rõ giới tính"), INDIVIDUAL & Q(subject__gender="")),
    ("minority", gettext_lazy("Người dân tộc thiểu số"),
     INDIVIDUAL & Q(nominee__isnull=False) & MINORITY),
    ("ethnicity_unknown", gettext_lazy("Không rõ dân tộc"),
     INDIVIDUAL & (Q(nominee__isnull=True) | Q(nominee__ethnicity=""))),
    ("frontline", gettext_lazy("Lực lượng tuyến đầu"), INDIVIDUAL & FRONTLINE),
    ("direct_workers", gettext_lazy("Người trực tiếp lao động, công tác"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.DIRECT_WORKER)),
]

UNKNOWN_UNIT = gettext_lazy("Không rõ đơn vị (nhập từ danh sách cũ)")
UNDETERMINED = gettext_lazy("Chưa xác định")
NO_BUDGET = gettext_lazy("Phong trào chưa có dự toán kinh phí")


# --- the rows each statistic counts -------------------------------------------------------------

def register_lines(reach: Reach, filters: Filters):
    lines = AwardRecord.objects.filter(reach.register(), period("decision_date", filters))
    if filters.movement:
        lines = lines.filter(movement=filters.movement)
    units = chosen_units(filters)
    if units is not None:
        lines = lines.filter(nominee__dossier__organisation__in=units)
    return lines


def dossier_condition(reach: Reach, filters: Filters, prefix: str = "") -> Q:
    """The dossiers counted, as a condition on the dossier at ``prefix`` (joins, no subquery)."""
    condition = reach.dossiers(prefix) & period(f"{prefix}created_at__date", filters)
    if filters.movement:
        condition &= Q(**{f"{prefix}movement": filters.movement})
    units = chosen_units(filters)
    if units is not None:
        condition &= Q(**{f"{prefix}organisation__in": units})
    return condition


def dossiers(reach: Reach, filters: Filters):
    return Dossier.objects.filter(dossier_condition(reach, filters))


def decision_lines(reach: Reach, filters: Filters):
    """Lines of issued decisions, each award once (a corrected line replaces its original)."""
    lines = Award.objects.filter(reach.awards(), period("decision__issued_on", filters),
                                 decision__state=Decision.State.ISSUED, replaces__isnull=True)
    if filters.movement:
        lines = lines.filter(decision__movement=filters.movement)
    units = chosen_units(filters)
    if units is not None:
        lines = lines.filter(nominee__dossier__organisation__in=units)
    return lines


class DaysBetween(Func):
    """Days (with fractions) from ``start`` to ``end``, both date-times; NULL if either is.
    SQLite's ``julianday`` rather than Django's ``django_timestamp_diff``, a Python function
    called per row."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        # float8: EXTRACT gives numeric on PostgreSQL 14+, slow to sort for the median.
        return (f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]}))::float8 / 86400)",
                [*end[1], *start[1]])

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return f"(julianday({end[0]}) - julianday({start[0]}))", [*end[1], *start[1]]


class Year(ExtractYear):
    """The year of a date. SQLite's own ``strftime`` instead of Django's ``django_date_extract``,
    a Python function called once per row (three times slower on a year's grouping)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


def _kind_counts():
    return {"collectives": Count("pk", filter=COLLECTIVE),
            "individuals": Count("pk", filter=INDIVIDUAL),
            "n": Count("pk")}


def _years(groups) -> list:
    return sorted({g["year"] for g in groups}, key=lambda y: (y is None, y or 0))


# --- organisations: current identity, and the names it bore -----------------------------------

def unit_labels(keys) -> dict:
    """Each organisation id (a current identity) → its current name, followed by the other
    names it and the units merged into it bore ("trước đây: …"), so a line stays readable across
    the 2025 reform. Two queries, whatever the number of units."""
    keys = [k for k in keys if k is not None]
    names = dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    former: dict = {}
    versions = (OrganisationVersion.objects
                .filter(Q(organisation__in=keys) | Q(organisation__merged_into__in=keys)
                        | Q(organisation__merged_into__merged_into__in=keys))
                .annotate(key=identity("organisation"))
                .values_list("key", "name").order_by("valid_from").distinct())
    for key, name in versions:
        if name != names.get(key) and name not in former.setdefault(key, []):
            former[key].append(name)
    labels = {}
    for key in keys:
        label = names.get(key, "")
        if former.get(key):
            label = _("%(name)s (trước đây: %(former)s)") % {
                "name": label, "former": "; ".join(former[key])}
        labels[key] = label
    return labels


# --- awards ---------------------------------------------------------------------------------

def awards_by_form(reach, filters, by_year=False) -> Table:
    lines = register_lines(reach, filters)
    title = _("Khen thưởng theo hình thức")
    if by_year:
        groups = list(lines.annotate(key=F("award_name"), year=Year("decision_date"))
                      .values("key", "year").annotate(n=Count("pk")).order_by())
        years = _years(groups)
        rows = sorted(pivot(groups, str, years), key=lambda r: -r[-1])
        return Table("hinh-thuc", title, [_("Hình thức"), *map(year_label, years), _("Tổng")],
                     rows, column_totals(rows, _("Tổng số")))
    groups = (lines.values("award_name").annotate(**_kind_counts()).order_by("-n", "award_name"))
    rows = [[g["award_name"], g["collectives"], g["individuals"], g["n"]] for g in groups]
    return Table("hinh-thuc", title, [_("Hình thức"), _("Tập thể"), _("Cá nhân"), _("Tổng")],
                 rows, column_totals(rows, _("Tổng số")))


def awards_by_organisation(reach, filters, by_year=False) -> Table:
    """Per unit as it is today: a merged ward's awards count under the ward that absorbed it."""
    lines = register_lines(reach, filters).annotate(
        key=identity("nominee__dossier__organisation"))
    title = _("Khen thưởng theo đơn vị đề nghị")
    if by_year:
        groups = list(lines.annotate(year=Year("decision_date"))
                      .values("key", "year").annotate(n=Count("pk")).order_by())
        years = _years(groups)
        labels = unit_labels({g["key"] for g in groups})
        rows = sorted(pivot(groups, lambda k: labels.get(k) or str(UNKNOWN_UNIT), years),
                      key=lambda r: (-r[-1], r[0]))
        return Table("don-vi", title, [_("Đơn vị"), *map(year_label, years), _("Tổng")],
                     rows, column_totals(rows, _("Tổng số")))
    groups = list(lines.values("key").annotate(**_kind_counts()).order_by("-n"))
    labels = unit_labels([g["key"] for g in groups])
    rows = [[labels.get(g["key"]) or str(UNKNOWN_UNIT), g["collectives"], g["individuals"],
             g["n"]] for g in groups]
    return Table("don-vi", title, [_("Đơn vị"), _("Tập thể"), _("Cá nhân"), _("Tổng")], rows,
                 column_totals(rows, _("Tổng số")),
                 note=_("Đơn vị đã đổi tên hoặc sáp nhập được tính theo đơn vị hiện nay."))


def _transposed(lines, measures, by_year):
    """One query counting every measure (per year when asked); rows are the measures."""
    counts = {key: Count("pk", filter=cond) for key, _label, cond in measures}
    if by_year:
        groups = list(lines.annotate(year=Year("decision_date")).values("year")
                      .annotate(**counts).order_by())
        years = _years(groups)
        by = {g["year"]: g for g in groups}
        rows = [[str(label), *(by[y][key] for y in years), sum(by[y][key] for y in years)]
                for key, label, _cond in measures]
        return rows, [*map(year_label, years), _("Tổng")]
    totals = lines.aggregate(**counts)
    return [[str(label), totals[key]] for key, label, _cond in measures], [_("Số lượng")]


def awards_by_subject(reach, filters, by_year=False) -> Table:
    rows, columns = _transposed(register_lines(reach, filters), SUBJECT_ROWS, by_year)
    return Table("doi-tuong", _("Khen thưởng theo đối tượng"), [_("Đối tượng"), *columns], rows,
                 note=_("Dòng “trong đó” là một phần của dòng trên. Đối tượng lấy theo danh "
                        "sách đề nghị; dòng nhập từ danh sách cũ là “không rõ đối tượng”."))


def awards_profile(reach, filters, by_year=False) -> Table:
    lines = register_lines(reach, filters)
    rows, columns = _transposed(lines, [("individuals", _("Cá nhân được khen"), INDIVIDUAL),
                                        *PROFILE_ROWS], by_year)
    table = Table("co-cau", _("Cá nhân được khen: nữ, dân tộc thiểu số, tuyến đầu"),
                  [_("Nhóm"), *columns], rows, chart_column=-1,
                  note=_("Chỉ số liệu tổng hợp; không liệt kê người. Dân tộc thiểu số: đã ghi "
                         "dân tộc và không phải dân tộc Kinh."))
    if not by_year:
        individuals = rows[0][1]
        table.headers.append(_("Tỷ lệ (%)"))
        for row in rows:
            row.append(round(100 * row[1] / individuals, 1) if individuals else 0.0)
        table.chart_column = 1
    return table


def awards_by_year(reach, filters, by_year=True) -> Table:
    groups = (register_lines(reach, filters).annotate(year=Year("decision_date"))
              .values("year").annotate(**_kind_counts()).order_by("year"))
    rows = [[year_label(g["year"]), g["collectives"], g["individuals"], g["n"]] for g in groups]
    return Table("theo-nam", _("Khen thưởng qua các năm"),
                 [_("Năm"), _("Tập thể"), _("Cá nhân"), _("Tổng")], rows,
                 column_totals(rows, _("Tổng số")))


def _vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _percent(share: float) -> str:
    """44,7 % — a share as Vietnamese write it."""
    return f"{share:.1f} %".replace(".", ",")


def _share(spent: int, budget: int | None) -> float | None:
    """Đã chi as a percentage of the budget (one decimal); None without a budget to divide."""
    return round(100 * spent / budget, 1) if budget else None


def cash(reach, filters, by_year=False) -> Table:
    """Tiền thưởng of issued decisions, per award form; with a movement chosen, its budget."""
    lines = decision_lines(reach, filters)
    groups = (lines.values("decision__award_form__name")
              .annotate(n=Count("pk"), cash=Sum("cash")).order_by("-cash"))
    rows = [[g["decision__award_form__name"], g["n"], g["cash"] or 0] for g in groups]
    table = Table("tien-thuong", _("Tiền thưởng theo hình thức"),
                  [_("Hình thức"), _("Số người, tập thể"), _("Tiền thưởng (đồng)")], rows,
                  column_totals(rows, _("Tổng số")))
    if filters.movement is not None:
        amount = filters.movement.budget
        if amount is None:
            table.facts.append((_("Dự toán kinh phí khen thưởng"), str(NO_BUDGET)))
        else:
            table.facts.append((_("Dự toán kinh phí khen thưởng"), _vnd(amount)))
            # Summed from the rows: a movement with a budget and no award yet has no total row.
            share = _share(sum(row[2] for row in rows), amount)
            if share is not None:
                table.facts.append((_("Đã chi so với dự toán"), _percent(share)))
    return table


def budget(reach, filters, by_year=False) -> Table:
    """Kinh phí khen thưởng so với dự toán: the cash of issued decisions (each award once) per
    movement, one GROUP BY, against the movement's budget (``Movement.budget``). With a
    movement chosen, its three amounts as rows, so the chart compares them; otherwise a row per
    movement with awards in scope."""
    groups = list(decision_lines(reach, filters)
                  .values("decision__movement", "decision__movement__short_title",
                          "decision__movement__budget")
                  .annotate(n=Count("pk"), spent=Sum("cash"))
                  .order_by("decision__movement__short_title", "decision__movement"))
    title = _("Kinh phí khen thưởng so với dự toán")
    note = _("Đã chi: tiền thưởng của các quyết định đã ban hành, trong phạm vi và bộ lọc đã "
             "chọn; dự toán là của cả phong trào.")
    movement = filters.movement
    if movement is not None:
        spent = sum(g["spent"] or 0 for g in groups)
        amount = movement.budget
        table = Table("du-toan", title, [_("Khoản"), _("Số tiền (đồng)")], note=note)
        if amount is None:
            table.rows = [[_("Đã chi"), spent]]
            table.facts.append((_("Dự toán kinh phí khen thưởng"), str(NO_BUDGET)))
            return table
        table.rows = [[_("Dự toán"), amount], [_("Đã chi"), spent],
                      [_("Còn lại"), amount - spent]]
        share = _share(spent, amount)
        table.facts.append((_("Tỷ lệ đã chi so với dự toán"),
                            _percent(share) if share is not None else "—"))
        if spent > amount:
            table.facts.append((_("Vượt dự toán"), _vnd(spent - amount)))
        return table
    rows = []
    for g in groups:
        amount, spent = g["decision__movement__budget"], g["spent"] or 0
        if amount is None:
            rows.append([g["decision__movement__short_title"], str(NO_BUDGET), spent, "—", "—"])
        else:
            share = _share(spent, amount)
            rows.append([g["decision__movement__short_title"], amount, spent, amount - spent,
                         share if share is not None else "—"])
    return Table("du-toan", title,
                 [_("Phong trào"), _("Dự toán (đồng)"), _("Đã chi (đồng)"), _("Còn lại (đồng)"),
                  _("Tỷ lệ đã chi (%)")], rows, chart_column=2, note=note)


# --- what the awards were for: content areas and participant kinds ------------------------------

def _for_what(lines, key, by_year, describe, *extra):
    """Awards per ``key`` (a value of the register line; None or "" for none), collectives and
    individuals apart, or per year: one GROUP BY (``extra`` are values of one row per key, such
    as its label, grouped along). ``describe(groups)`` gives the (label_of, order_of) functions
    of a key; rows come in ``order_of`` order."""
    lines = lines.annotate(key=key)
    if by_year:
        groups = list(lines.annotate(year=Year("decision_date"))
                      .values("key", *extra, "year").annotate(n=Count("pk")).order_by())
        label_of, order_of = describe(groups)
        years = _years(groups)
        rows = pivot(groups, label_of, years)
        order = {label_of(g["key"]): order_of(g["key"]) for g in groups}
        rows.sort(key=lambda r: order[r[0]])
        return rows, [*map(year_label, years), _("Tổng")]
    groups = list(lines.values("key", *extra).annotate(**_kind_counts()).order_by())
    label_of, order_of = describe(groups)
    groups.sort(key=lambda g: order_of(g["key"]))
    rows = [[label_of(g["key"]), g["collectives"], g["individuals"], g["n"]] for g in groups]
    return rows, [_("Tập thể"), _("Cá nhân"), _("Tổng")]


def _describe_areas(groups):
    """Label and place of each content area from the groups themselves (code, title, order and
    movement were grouped along): "2.1. Title", with the movement's name when several."""
    described = {g["key"]: g for g in groups if g["key"] is not None}
    plans = {g["plan_id"] for g in described.values()}

    def label_of(key):
        area = described.get(key)
        if area is None:
            return str(UNDETERMINED)
        label = f"{area['code']}. {area['area_title']}"
        return f"{label} ({area['plan']})" if len(plans) > 1 else label

    def order_of(key):
        area = described.get(key)
        if area is None:
            return (1, 0, 0, "")
        return (0, area["plan_id"], area["place"], area["code"])

    return label_of, order_of


def awards_by_content_area(reach, filters, by_year=False) -> Table:
    """Per content area of the plan (nội dung thi đua, II.2.x) the nominee was proposed under.
    One GROUP BY on the area's id with its code, title, place and movement (one row's values),
    so the labels come with the counts."""
    lines = register_lines(reach, filters).annotate(
        code=F("nominee__content_area__code"), area_title=F("nominee__content_area__title"),
        place=F("nominee__content_area__order"),
        plan=F("nominee__content_area__movement__short_title"),
        plan_id=F("nominee__content_area__movement"))
    rows, columns = _for_what(lines, F("nominee__content_area"), by_year, _describe_areas,
                              "code", "area_title", "place", "plan", "plan_id")
    return Table("noi-dung", _("Khen thưởng theo nội dung thi đua"),
                 [_("Nội dung thi đua"), *columns], rows, column_totals(rows, _("Tổng số")),
                 note=_("Nội dung thi đua ghi ở danh sách đề nghị; dòng chưa ghi nội dung và dòng "
                        "nhập từ danh sách cũ là “Chưa xác định”."))


KIND_ORDER = {kind.value: i for i, kind in enumerate(ParticipantKind)}


def awards_by_participant_kind(reach, filters, by_year=False) -> Table:
    """Per participant kind of the plan (đối tượng thi đua, IV.1)."""
    labels = dict(ParticipantKind.choices)

    def label_of(key):
        return str(labels[key]) if key in labels else str(UNDETERMINED)

    def order_of(key):
        return KIND_ORDER.get(key, len(KIND_ORDER))

    rows, columns = _for_what(register_lines(reach, filters),
                              Coalesce(F("nominee__participant_kind"), Value("")), by_year,
                              lambda groups: (label_of, order_of))
    return Table("doi-tuong-thi-dua", _("Khen thưởng theo đối tượng thi đua"),
                 [_("Đối tượng thi đua"), *columns], rows, column_totals(rows, _("Tổng số")),
                 note=_("Đối tượng thi đua ghi ở danh sách đề nghị; dòng chưa ghi và dòng nhập "
                        "từ danh sách cũ là “Chưa xác định”."))


# --- dossiers -----------------------------------------------------------------------------------

STATE_ORDER = [s.value for s in Dossier.State]


def dossiers_by_state(reach, filters, by_year=False) -> Table:
    groups = dossiers(reach, filters).values("state").annotate(n=Count("pk")).order_by()
    labels = dict(Dossier.State.choices)
    rows = [[str(labels[g["state"]]), g["n"]]
            for g in sorted(groups, key=lambda g: STATE_ORDER.index(g["state"]))]
    return Table("ho-so-trang-thai", _("Hồ sơ theo trạng thái"), [_("Trạng thái"), _("Số hồ sơ")],
                 rows, column_totals(rows, _("Tổng số")))


IN_OFFICE = [Dossier.State.SUBMITTED, Dossier.State.RETURNED]
IN_REVIEW = [Dossier.State.ACCEPTED, Dossier.State.COMMITTEE_REVIEWED, Dossier.State.FORWARDED]
CONCLUDED = [Dossier.State.COUNCIL_REVIEWED, Dossier.State.DECIDED_BY_UNIT]


def dossiers_by_unit(reach, filters, by_year=False) -> Table:
    today = timezone.localdate()
    groups = list(
        dossiers(reach, filters).annotate(key=identity("organisation")).values("key")
        .annotate(n=Count("pk"),
                  drafts=Count("pk", filter=Q(state=Dossier.State.DRAFT)),
                  office=Count("pk", filter=Q(state__in=IN_OFFICE)),
                  review=Count("pk", filter=Q(state__in=IN_REVIEW)),
                  done=Count("pk", filter=Q(state__in=CONCLUDED)),
                  withdrawn=Count("pk", filter=Q(state=Dossier.State.WITHDRAWN)),
                  late=Count("pk", filter=Q(state=Dossier.State.SUBMITTED, due_on__lt=today)))
        .order_by("-n"))
    labels = unit_labels([g["key"] for g in groups])
    rows = [[labels.get(g["key"], ""), g["drafts"], g["office"], g["review"], g["done"],
             g["withdrawn"], g["late"], g["n"]] for g in groups]
    return Table("ho-so-don-vi", _("Hồ sơ theo đơn vị"),
                 [_("Đơn vị"), _("Đang soạn"), _("Chờ tiếp nhận, bổ sung"), _("Đang xét"),
                  _("Đã xét, đã quyết định"), _("Đã rút"), _("Quá hạn tiếp nhận"), _("Tổng")],
                 rows, column_totals(rows, _("Tổng số")))


def returns_by_unit(reach, filters, by_year=False) -> Table:
    """Trả lại để bổ sung: each return leaves its deficiencies under the round it returned, so
    the returns are the distinct (dossier, round) pairs."""
    returned = Deficiency.objects.filter(dossier_condition(reach, filters, "dossier__"))
    # (dossier, round) as one number: counted distinct faster than a string made of the two.
    turn = ExpressionWrapper(Cast("dossier_id", BigIntegerField()) * 100_000 + F("round"),
                             output_field=BigIntegerField())
    groups = list(
        returned.annotate(key=identity("dossier__organisation"), turn=turn)
        .values("key")
        .annotate(returns=Count("turn", distinct=True), dossiers=Count("dossier", distinct=True),
                  items=Count("pk"))
        .order_by("-returns"))
    labels = unit_labels([g["key"] for g in groups])
    rows = [[labels.get(g["key"], ""), g["dossiers"], g["returns"], g["items"]] for g in groups]
    return Table("tra-lai", _("Hồ sơ bị trả lại để bổ sung, theo đơn vị"),
                 [_("Đơn vị"), _("Số hồ sơ bị trả lại"), _("Số lần trả lại"),
                  _("Số nội dung phải bổ sung")], rows, column_totals(rows, _("Tổng số")),
                 chart_column=2)


SUBMIT, CONCLUDE = "dossier.submit", "dossier.conclude_council"


def _processing(reach, filters):
    """Per dossier the council has concluded: days from its first submission to the council's
    conclusion, read from the activity log (each move is a dated row there)."""
    keys = (dossiers(reach, filters).filter(state=Dossier.State.COUNCIL_REVIEWED)
            .annotate(key=Cast("pk", CharField())).values("key"))
    return (Activity.objects
            # By verb alone: these two verbs are only ever logged on a dossier, and a filter on
            # the target type makes SQLite read every log row of each dossier (2.7× raw SQL).
            .filter(target_id__in=keys, verb__in=[SUBMIT, CONCLUDE])
            .values("target_id")
            .annotate(start=Min("created_at", filter=Q(verb=SUBMIT)),
                      end=Max("created_at", filter=Q(verb=CONCLUDE)))
            .annotate(took=DaysBetween("end", "start")))


def _days(days) -> float:
    return round(days, 1) if days is not None else 0.0


def processing_times(reach, filters, by_year=False) -> Table:
    """Thời gian xử lý: the median and the slowest, and what is overdue now. The median is an
    order statistic: one aggregate (count, slowest) and one query for the middle row(s)."""
    per = _processing(reach, filters)
    # A dossier missing either log row (moved before the log existed) has no duration.
    summary = per.aggregate(n=Count("took"), slowest=Max("took"))
    n = summary["n"]
    median = None
    if n:
        middle = [d["took"] for d in per.filter(took__isnull=False).order_by("took")
                  .values("took")[(n - 1) // 2:n // 2 + 1]]
        median = sum(middle) / len(middle)
    late = dossiers(reach, filters).filter(state=Dossier.State.SUBMITTED,
                                           due_on__lt=timezone.localdate()).count()
    rows = [[_("Hồ sơ đã được Hội đồng xét"), n],
            [_("Thời gian trung vị (ngày)"), _days(median)],
            [_("Lâu nhất (ngày)"), _days(summary["slowest"])],
            [_("Đang chờ tiếp nhận quá hạn"), late]]
    return Table("thoi-gian", _("Thời gian xử lý hồ sơ"), [_("Chỉ số"), _("Giá trị")], rows,
                 chartable=False,
                 note=_("Tính từ lần trình đầu tiên đến khi Hội đồng TĐKT xét xong (ngày theo "
                        "lịch, gồm cả thời gian đơn vị bổ sung)."))


STATISTICS = {
    "hinh-thuc": awards_by_form,
    "don-vi": awards_by_organisation,
    "doi-tuong": awards_by_subject,
    "co-cau": awards_profile,
    "theo-nam": awards_by_year,
    "tien-thuong": cash,
    "du-toan": budget,
    "noi-dung": awards_by_content_area,
    "doi-tuong-thi-dua": awards_by_participant_kind,
    "ho-so-trang-thai": dossiers_by_state,
    "ho-so-don-vi": dossiers_by_unit,
    "tra-lai": returns_by_unit,
    "thoi-gian": processing_times,
}
# The award statistics that can be laid out with a column per year (?theo_nam=1).
BY_YEAR = {"hinh-thuc", "don-vi", "doi-tuong", "co-cau", "noi-dung", "doi-tuong-thi-dua"}


def table(key: str, user, filters: Filters, by_year: bool = False) -> Table:
    return STATISTICS[key](Reach.of(user), filters, by_year=by_year and key in BY_YEAR)
