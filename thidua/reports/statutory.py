"""Biểu mẫu thống kê of Circular 02/2023/TT-BNV: 0601 (movements), 0602 (state-level awards),
0603 (ministry/province-level awards), annual ("N"), as Excel workbooks.

**Unverified layout.** The rows and columns follow DOMAIN.md §8, which read them from an
open-source implementation of the circular, not from the circular's annex. They are kept here as
data (``FORMS``) and every workbook says so in a red line under its title; what we could not
derive from stored fields is named in the form's notes. Correct the data, not the code, once
checked against the annex.

Each form is counted by one GROUP BY query: register lines (or movements) grouped by the column
they fall in and the attributes the rows split on; the groups — a few dozen — are then laid
into the grid. Every line falls in exactly one column (the last column of each form takes
what no earlier one did), so each row's total is the sum of its columns.
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case, CharField, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from thidua.core.text import neutralise_formula
from thidua.movements.models import Movement
from thidua.nominations.models import AwardRecord
from thidua.orgs.models import Level
from thidua.reports.scope import Reach
from thidua.rulesets.models import Authority, AwardCategory

CIRCULAR = "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023 của Bộ trưởng Bộ Nội vụ"
UNVERIFIED = ("CHƯA ĐỐI CHIẾU: bố cục hàng, cột dựng theo mô tả thứ cấp (DOMAIN.md §8), "
              "chưa đối chiếu với phụ lục Thông tư 02/2023/TT-BNV.")


@dataclass(frozen=True)
class Column:
    code: str  # printed in the code row ("1", "2.1", …)
    group: str  # the header above (merged over its sub-columns)
    label: str = ""  # the sub-header (Tập thể / Cá nhân), or "" for a single column


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    unit: str  # Đơn vị tính: Tập thể / Hộ / Người / Phong trào
    match: object = None  # predicate over a group's attributes; None for a heading row
    indent: int = 0


@dataclass
class StatutoryForm:
    number: str  # "0602"
    title: str
    columns: list[Column]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    unverified: str = UNVERIFIED

    @property
    def code(self) -> str:
        return f"Biểu số: {self.number}.N/BNV-TĐKT"


# --- rows shared by 0602 and 0603: the subjects --------------------------------------------

def _kind(g):
    return g["kind"]


AWARD_ROWS = [
    Row("1", "Tổng số", "Tập thể, Hộ, Người", lambda g: True),
    Row("", "Chia theo cơ quan trình", ""),
    Row("2", "Bộ, ban, ngành, đoàn thể Trung ương", "Tập thể, Hộ, Người",
        lambda g: g["level"] == Level.CENTRAL, 1),
    Row("3", "Tỉnh, thành phố trực thuộc Trung ương", "Tập thể, Hộ, Người",
        lambda g: g["level"] != Level.CENTRAL, 1),
    Row("", "Chia theo đối tượng", ""),
    Row("6", "Tập thể", "Tập thể",
        lambda g: _kind(g) == "collective" and g["collective_kind"] != "household", 1),
    Row("7", "Trong đó: Doanh nghiệp", "Tập thể",
        lambda g: _kind(g) == "collective" and g["collective_kind"] == "enterprise", 2),
    Row("8", "Hộ gia đình", "Hộ",
        lambda g: _kind(g) == "collective" and g["collective_kind"] == "household", 1),
    Row("9", "Cá nhân", "Người", lambda g: _kind(g) != "collective", 1),
    Row("10", "Lãnh đạo cấp bộ, cấp tỉnh trở lên", "Người",
        lambda g: _kind(g) != "collective" and g["category"] == "leader_province", 2),
    Row("11", "Lãnh đạo cấp vụ, sở và tương đương", "Người",
        lambda g: _kind(g) != "collective" and g["category"] == "leader_department", 2),
    Row("12", "Doanh nhân", "Người",
        lambda g: _kind(g) != "collective" and g["category"] == "entrepreneur", 2),
    Row("13", "Lãnh đạo khác", "Người",
        lambda g: _kind(g) != "collective" and g["category"] == "other_leader", 2),
    Row("14", "Công nhân, nông dân, người trực tiếp lao động, công tác", "Người",
        lambda g: _kind(g) != "collective" and g["category"] == "direct_worker", 2),
    Row("15", "Đối tượng khác (gồm lực lượng tuyến đầu, chưa ghi đối tượng)", "Người",
        lambda g: _kind(g) != "collective" and g["category"] not in {
            "leader_province", "leader_department", "entrepreneur", "other_leader",
            "direct_worker"}, 2),
]
AWARD_NOTES = [
    "Dòng 10 và 11 theo đối tượng ghi ở danh sách đề nghị; danh sách lập theo mẫu cũ ghi "
    "“Lãnh đạo cấp tỉnh, cấp sở” được tính ở dòng 10.",
    "Dòng nhập từ sổ khen thưởng cũ không có danh sách đề nghị: tính ở dòng 3 và dòng 15 "
    "(cá nhân) hoặc 6 (tập thể); dòng không ghi ngày quyết định hoặc không khớp hình thức "
    "trong danh mục không được tính.",
]


def _award_columns(groups):
    """Columns from (code, group, sub-columns) where sub-columns are (label, kind or None)."""
    columns = [Column("1", "Tổng số")]
    for code, group, subs in groups:
        if len(subs) == 1:
            columns.append(Column(code, group))
        else:
            columns += [Column(f"{code}.{i}", group, label) for i, (label, _k) in
                        enumerate(subs, start=1)]
    return columns


BOTH = [("Tập thể", "collective"), ("Cá nhân", "individual")]

# (column group code, header, sub-columns, condition on the award form) — first match wins.
FORM_0602 = [
    ("2", "Huân chương", BOTH, Q(award_form__category=AwardCategory.ORDER)),
    ("3", "Giải thưởng Hồ Chí Minh", [("", None)],
     Q(award_form__code__startswith="giai-thuong-ho-chi-minh")),
    ("4", "Giải thưởng Nhà nước", [("", None)],
     Q(award_form__code__startswith="giai-thuong-nha-nuoc")),
    ("5", "Danh hiệu vinh dự Nhà nước", BOTH,
     Q(award_form__category=AwardCategory.HONORARY_TITLE)),
    ("6", "Cờ thi đua của Chính phủ", [("", None)], Q(award_form__code="co-thi-dua-chinh-phu")),
    ("7", "Bằng khen của Thủ tướng Chính phủ", BOTH, Q(award_form__code="bang-khen-thu-tuong")),
    ("8", "Chiến sĩ thi đua toàn quốc", [("", None)],
     Q(award_form__code="chien-si-thi-dua-toan-quoc")),
    ("9", "Hình thức khác", BOTH, Q()),
]
FORM_0603 = [
    ("2", "Cờ thi đua cấp bộ, ngành, tỉnh", [("", None)],
     Q(award_form__code__startswith="co-thi-dua-cap-tinh")),
    ("3", "Chiến sĩ thi đua cấp bộ, ngành, tỉnh", [("", None)],
     Q(award_form__code__startswith="chien-si-thi-dua-cap-tinh")),
    ("4", "Bằng khen cấp bộ, ngành, tỉnh", BOTH,
     Q(award_form__code__startswith="bang-khen-chu-tich-ubnd-tinh")),
    ("5", "Tập thể lao động xuất sắc", [("", None)],
     Q(award_form__code__startswith="tap-the-lao-dong-xuat-sac")),
    ("6", "Hình thức khác", BOTH, Q()),
]

STATE_LEVEL = Q(award_form__authority__in=[Authority.PRESIDENT, Authority.PRIME_MINISTER])
PROVINCE_LEVEL = Q(award_form__authority=Authority.PROVINCE_CHAIRMAN)


def _column_case(spec):
    """The leaf column of each register line, as one CASE expression."""
    whens = []
    for code, _group, subs, condition in spec:
        if len(subs) == 1:
            whens.append(When(condition, then=Value(code)))
        else:
            for i, (_label, kind) in enumerate(subs, start=1):
                by_kind = (Q(subject__kind="collective") if kind == "collective"
                           else ~Q(subject__kind="collective"))
                whens.append(When(condition & by_kind, then=Value(f"{code}.{i}")))
    return Case(*whens, output_field=CharField())


MOVEMENT_ROWS = [
    Row("1", "Tổng số", "Phong trào", lambda g: True),
    Row("", "Chia theo cấp phát động", ""),
    Row("2", "Cấp tỉnh", "Phong trào", lambda g: g["level"] == Level.PROVINCE, 1),
    Row("3", "Cấp huyện", "Phong trào", lambda g: g["level"] == Level.DISTRICT, 1),
    Row("4", "Cấp xã", "Phong trào", lambda g: g["level"] == Level.COMMUNE, 1),
    Row("5", "Cơ quan, đơn vị", "Phong trào",
        lambda g: g["level"] in {Level.UNIT, Level.CENTRAL}, 1),
]
MOVEMENT_COLUMNS = [
    Column("1", "Tổng số"),
    Column("2.1", "Chia theo loại", "Thường xuyên"),
    Column("2.2", "Chia theo loại", "Theo đợt, chuyên đề"),
    Column("3.1", "Chia theo thời gian", "Dưới 1 năm"),
    Column("3.2", "Chia theo thời gian", "Từ 1 năm trở lên"),
    Column("3.3", "Chia theo thời gian", "Chưa xác định"),
]

FORMS = {
    "0601": StatutoryForm("0601", "SỐ LƯỢNG PHONG TRÀO THI ĐUA", MOVEMENT_COLUMNS, MOVEMENT_ROWS,
                          ["Phong trào phát động trong năm báo cáo, của cơ quan trong phạm vi "
                           "người lập biểu; cột 2 và cột 3 mỗi nhóm cộng bằng cột 1."]),
    "0602": StatutoryForm("0602", "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
                          _award_columns([(c, g, s) for c, g, s, _q in FORM_0602]), AWARD_ROWS,
                          AWARD_NOTES),
    "0603": StatutoryForm("0603", "SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, TỈNH",
                          _award_columns([(c, g, s) for c, g, s, _q in FORM_0603]), AWARD_ROWS,
                          AWARD_NOTES),
}
FORM_TITLES = {number: gettext_lazy(form.title) for number, form in FORMS.items()}


# --- counting ----------------------------------------------------------------------------------

def _award_groups(user, year, spec, level_condition):
    reach = Reach.of(user)
    return list(
        AwardRecord.objects.filter(reach.register(), level_condition, decision_date__year=year)
        .annotate(col=_column_case(spec), kind=F("subject__kind"),
                  collective_kind=Coalesce("nominee__collective_kind", Value("")),
                  category=Coalesce("nominee__category", Value("")),
                  level=Coalesce("nominee__dossier__organisation__level", Value("")))
        .values("col", "kind", "collective_kind", "category", "level")
        .annotate(n=Count("pk")).order_by())


def _movement_groups(user, year):
    reach = Reach.of(user)
    span = ExpressionWrapper(F("ends_on") - F("launched_on"), output_field=DurationField())
    duration = Case(When(ends_on__isnull=True, then=Value("3.3")),
                    When(span__lt=timedelta(days=365), then=Value("3.1")),
                    default=Value("3.2"), output_field=CharField())
    stream = Case(When(stream=Movement.Stream.REGULAR, then=Value("2.1")), default=Value("2.2"),
                  output_field=CharField())
    return list(
        Movement.objects.filter(reach.movements(), launched_on__year=year)
        .exclude(status=Movement.Status.DRAFT)
        .annotate(span=span, duration=duration, kind=stream, level=F("issuer__level"))
        .values("duration", "kind", "level").annotate(n=Count("pk")).order_by())


def grid(number: str, user, year: int) -> list[list[int | None]]:
    """The counts of ``number``'s form: one list per row (None for heading rows), one number
    per column, the first being the row's total."""
    form = FORMS[number]
    if number == "0601":
        groups = _movement_groups(user, year)
        placed = [(g, ["1", g["kind"], g["duration"]]) for g in groups]
    else:
        spec, level = (FORM_0602, STATE_LEVEL) if number == "0602" else (FORM_0603, PROVINCE_LEVEL)
        groups = _award_groups(user, year, spec, level)
        placed = [(g, ["1", g["col"]]) for g in groups]
    codes = [c.code for c in form.columns]
    out = []
    for row in form.rows:
        if row.match is None:
            out.append(None)
            continue
        cells = [0] * len(codes)
        for group, columns in placed:
            if row.match(group):
                for code in columns:
                    cells[codes.index(code)] += group["n"]
        out.append(cells)
    return out


# --- the workbook ------------------------------------------------------------------------------

FIRST_COLUMN = 4  # D: A is the item, B its code, C the unit of count
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _text(value) -> str:
    return neutralise_formula(str(value))


def header_rows() -> dict[str, int]:
    """Where things are in every form's sheet (the tests read the same numbers)."""
    return {"code": 1, "title": 5, "unverified": 8, "group": 10, "sub": 11, "codes": 12,
            "first": 13}


def workbook(number: str, user, year: int, reporting_unit: str) -> bytes:
    """The form as the circular prints it: in Vietnamese whatever the reader's language."""
    form = FORMS[number]
    counts = grid(number, user, year)
    at = header_rows()
    wb = Workbook()
    ws = wb.active
    ws.title = _text(f"Biểu {number}")
    bold = Font(bold=True)
    last = FIRST_COLUMN + len(form.columns) - 1

    def put(row, col, value, font=None, align=None):
        cell = ws.cell(row, col, _text(value) if isinstance(value, str) else value)
        if font:
            cell.font = font
        if align:
            cell.alignment = align
        return cell

    put(at["code"], 1, form.code, bold)
    put(2, 1, CIRCULAR)
    put(3, 1, "Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo")
    put(at["code"], last - 1, f"Đơn vị báo cáo: {reporting_unit}")
    put(2, last - 1, "Đơn vị nhận báo cáo: Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)")
    put(at["title"], 1, form.title, Font(bold=True, size=13))
    put(at["title"] + 1, 1, f"Năm {year}", Font(italic=True))
    put(at["unverified"], 1, form.unverified, Font(bold=True, color="C00000"))

    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for col, label in ((1, "Chỉ tiêu"), (2, "Mã số"), (3, "Đơn vị tính")):
        put(at["group"], col, label, bold, center)
        ws.merge_cells(start_row=at["group"], start_column=col, end_row=at["sub"], end_column=col)
        put(at["codes"], col, "ABC"[col - 1], None, center)
    spans: dict[str, list[int]] = {}
    for i, column in enumerate(form.columns):
        col = FIRST_COLUMN + i
        spans.setdefault(column.group, []).append(col)
        put(at["codes"], col, column.code, None, center)
        if column.label:
            put(at["sub"], col, column.label, bold, center)
    for group, cols in spans.items():
        put(at["group"], cols[0], group, bold, center)
        only = len(cols) == 1 and not form.columns[cols[0] - FIRST_COLUMN].label
        ws.merge_cells(start_row=at["group"], start_column=cols[0],
                       end_row=at["sub"] if only else at["group"], end_column=cols[-1])

    r = at["first"]
    for row, cells in zip(form.rows, counts, strict=True):
        put(r, 1, ("    " * row.indent) + row.label, None if row.match else Font(italic=True))
        put(r, 2, row.code)
        put(r, 3, row.unit)
        for i, value in enumerate(cells or []):
            ws.cell(r, FIRST_COLUMN + i, value)
        r += 1
    for row in ws.iter_rows(min_row=at["group"], max_row=r - 1, max_col=last):
        for cell in row:
            cell.border = BOX
    r += 1
    put(r, 1, "Ghi chú:", bold)
    for note in form.notes:
        r += 1
        put(r, 1, "- " + note)
    ws.column_dimensions["A"].width = 58
    ws.column_dimensions["C"].width = 16
    for col in range(FIRST_COLUMN, last + 1):
        ws.column_dimensions[get_column_letter(col)].width = 12
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
