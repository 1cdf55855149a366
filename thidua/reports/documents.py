"""The movement's summary report (báo cáo tổng kết) as a registered document kind.

Its object is the gathered :class:`~thidua.reports.summary.Summary`; its context lays the
figures out for a DOCX template: plain fields, lists the template loops over (the organisation's
lines, the criteria with each unit's row, the award statistics) and the charts as pictures (PNG,
:mod:`thidua.reports.chart_images`). The built-in template
(``documents/default_templates/summary_report.docx``, made by
``python -m thidua.documents.build_templates``) writes the Decree 30 heading, sections I–V with
the assessment and proposals left as highlighted placeholders, and the signature; an
administrator may upload a replacement for the movement's issuing body (or for every body),
checked against :data:`FIELDS` like the other kinds' templates.

The report is made only by its job (:mod:`thidua.reports.tasks`), which gathers the figures the
person who asked may count: the kind has no PDF, and ``/van-ban/summary_report/…`` serves
nothing (the job's page serves its file).
"""

from django.http import Http404

from thidua.core.text import nfc
from thidua.documents.context import Picture, dated, heading
from thidua.documents.kinds import DocumentKind, register
from thidua.documents.models import DocumentTemplate
from thidua.documents.render import prepare, render_prepared
from thidua.nominations.documents import lower_first, number_label, place_of
from thidua.reports.chart_images import bar_png
from thidua.reports.summary import Summary, number_text
from thidua.reports.tables import Table

KEY = "summary_report"
CHART_WIDTH_MM = 150

_STATISTIC = ("label", "collectives", "individuals", "total")
_HEADING = ("issuer_upper_1", "issuer_upper_2", "issuer_upper", "number_label", "place",
            "date_words", "date_short")


def _members(name: str, *members: str) -> set[str]:
    return {name, *(f"{name}.{member}" for member in members)}


# Every name the context gives (a replacement template may use these and no others).
FIELDS = frozenset({
    *_HEADING, "title", "issuer_name", "movement", "movement_lower", "plan", "launched_on",
    "ends_on", "participants", "content_areas", "organisation_chart", "reports_accepted",
    "final_periods", "capacity", "signer_title", "signer_name",
    *_members("organisation_rows", "label", "units", "share"),
    *_members("criteria", "order", "code", "title", "aimed_at", "committed", "reported", "rows",
              "total", "chart"),
    *_members("criteria.rows", "order", "unit", "done", "figure", "note"),
    *_members("unit_summaries", "unit", "text"),
    *_members("conclusions", "round", "date", "text"),
    *(member for name in ("awards_by_form", "awards_by_unit")
      for member in (_members(name, "rows", "total", "note", "chart")
                     | _members(f"{name}.rows", *_STATISTIC)
                     | _members(f"{name}.total", *_STATISTIC))),
})


def title_of(movement) -> str:
    """"Tổng kết phong trào thi đua “…” năm 2026"."""
    title = nfc(movement.title)
    if not title.casefold().startswith("phong trào"):
        title = f"phong trào thi đua {title}"
    return f"Tổng kết {lower_first(title)}"


def _chart(points, title: str) -> Picture | None:
    png = bar_png(points, title)
    return Picture(png, CHART_WIDTH_MM) if png is not None else None


def _statistic(table: Table | None, chart_title: str) -> dict:
    """A statistic of the dashboard (label, collectives, individuals, total per row) as the
    template's table: its rows, its total line, its note and its chart."""
    rows = table.rows if table is not None else []

    def line(cells) -> dict:
        label, *numbers = cells  # a total with no rows under it is its label alone
        numbers = [number_text(v) for v in numbers] or [""] * (len(_STATISTIC) - 1)
        return {"label": nfc(str(label)), **dict(zip(_STATISTIC[1:], numbers, strict=True))}

    return {"rows": [line(row) for row in rows],
            "total": line(table.total if table is not None and table.total else [""]),
            "note": str(table.note) if table is not None and rows else "",
            "chart": _chart(table.chart, chart_title) if table is not None else None}


def summary_context(summary: Summary) -> dict:
    movement, day, issuer = summary.movement, summary.day, summary.movement.issuer
    return {
        **heading(issuer, day),
        **dated(place_of(issuer, movement, day), day),
        "number_label": number_label("BC", issuer, day),
        "title": title_of(movement),
        "issuer_name": nfc(issuer.name_on(day)),
        "movement": nfc(movement.title),
        "movement_lower": lower_first(nfc(movement.title)),
        "plan": f"{nfc(movement.document_kind)} số {nfc(movement.number)} ngày "
                f"{movement.issued_on:%d/%m/%Y}",
        "launched_on": f"{movement.launched_on:%d/%m/%Y}" if movement.launched_on else "",
        "ends_on": f"{movement.ends_on:%d/%m/%Y}" if movement.ends_on else "",
        # I. The organisation of the movement.
        "participants": number_text(summary.participants),
        "content_areas": summary.content_areas,
        "organisation_rows": [{"label": label, "units": number_text(n), "share": share}
                              for label, n, share in summary.organisation],
        "organisation_chart": _chart([(label, float(n)) for label, n, _s in summary.organisation],
                                     "Tổ chức phong trào (số đơn vị)"),
        # II. The results per criterion, from the units' accepted final reports.
        "reports_accepted": summary.reports_accepted,
        "final_periods": "; ".join(summary.final_periods),
        "criteria": [{
            "order": n, "code": criterion.code, "title": criterion.title,
            "aimed_at": criterion.aimed_at, "committed": criterion.committed,
            "reported": len(criterion.rows),
            "rows": [{"order": i, "unit": row.unit, "done": row.done,
                      "figure": number_text(row.figure), "note": row.note}
                     for i, row in enumerate(criterion.rows, start=1)],
            "total": number_text(criterion.total),
            "chart": _chart(criterion.chart, f"Tiêu chí {criterion.code}: số liệu theo đơn vị"),
        } for n, criterion in enumerate(summary.criteria, start=1)],
        "unit_summaries": [{"unit": unit, "text": " ".join(lines)}
                           for unit, lines in summary.unit_summaries],
        # III. The awards of the movement, counted as the dashboard counts them.
        "awards_by_form": _statistic(summary.awards_by_form, "Khen thưởng theo hình thức"),
        "awards_by_unit": _statistic(summary.awards_by_unit, "Khen thưởng theo đơn vị đề nghị"),
        # IV. What the final review rounds concluded (the rest is the office's to write).
        "conclusions": [{"round": lower_first(title), "date": on, "text": " ".join(lines)}
                        for title, on, lines in summary.conclusions],
        "capacity": nfc(movement.signer_capacity).upper(),
        "signer_title": nfc(movement.signer_title).upper(),
        "signer_name": nfc(movement.signer_name),
    }


def _made_by_its_job(user, pk):
    """Nothing to fetch by number: a summary is gathered by the report's job for the person who
    asked, and its file is served from the report's page."""
    raise Http404


SUMMARY_REPORT = register(DocumentKind(
    key=KEY, title=DocumentTemplate.Kind.SUMMARY_REPORT.label,
    required_fields=frozenset({"title", "organisation_rows", "criteria", "awards_by_form",
                               "awards_by_unit", "signer_name"}),
    context=summary_context, fetch=_made_by_its_job,
    # The report is the issuing body's paper ("Số: ……/BC-UBND"): its template applies.
    organisation=lambda summary: summary.movement.issuer,
    file_name=lambda summary: f"bao-cao-tong-ket-{summary.movement.slug}",
    formats=frozenset({"docx"}), fields=FIELDS,
))


def render(summary: Summary, *, progress=lambda: None) -> bytes:
    """The report's DOCX from the issuing body's template (or the built-in one). ``progress`` is
    called once the charts are drawn."""
    prepared = prepare(KEY, summary, "docx")
    progress()
    return render_prepared(prepared)
