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

from django.contrib.contenttypes.models import ContentType
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
)
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thidua.core.models import Activity
from thidua.decisions.models import Award, Decision
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
    ("leaders_province", gettext_lazy("trong đó: lãnh đạo cấp tỉnh, cấp sở"),
     INDIVIDUAL & Q(nominee__category=IndividualCategory.LEADER_PROVINCE_DEPARTMENT)),
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
        return (f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 86400.0)",
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


def cash(reach, filters, by_year=False) -> Table:
    """Tiền thưởng of issued decisions, per award form."""
    lines = decision_lines(reach, filters)
    groups = (lines.values("decision__award_form__name")
              .annotate(n=Count("pk"), cash=Sum("cash")).order_by("-cash"))
    rows = [[g["decision__award_form__name"], g["n"], g["cash"] or 0] for g in groups]
    table = Table("tien-thuong", _("Tiền thưởng theo hình thức"),
                  [_("Hình thức"), _("Số người, tập thể"), _("Tiền thưởng (đồng)")], rows,
                  column_totals(rows, _("Tổng số")))
    budget = getattr(filters.movement, "budget", None) if filters.movement else None
    if budget:
        spent = table.total[2]
        table.facts.append((_("Dự toán kinh phí khen thưởng"), f"{budget:,}".replace(",", ".")))
        table.facts.append((_("Đã chi so với dự toán"), f"{100 * spent / budget:.1f} %"))
    else:
        table.facts.append((_("Dự toán kinh phí khen thưởng"),
                            _("Phong trào chưa ghi dự toán kinh phí: chưa so sánh được.")))
    return table


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
            .filter(target_type=ContentType.objects.get_for_model(Dossier), target_id__in=keys,
                    verb__in=[SUBMIT, CONCLUDE])
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
    "ho-so-trang-thai": dossiers_by_state,
    "ho-so-don-vi": dossiers_by_unit,
    "tra-lai": returns_by_unit,
    "thoi-gian": processing_times,
}
# The award statistics that can be laid out with a column per year (?theo_nam=1).
BY_YEAR = {"hinh-thuc", "don-vi", "doi-tuong", "co-cau"}


def table(key: str, user, filters: Filters, by_year: bool = False) -> Table:
    return STATISTICS[key](Reach.of(user), filters, by_year=by_year and key in BY_YEAR)
