"""Decision documents: DOCX drafts (docxtpl, replaceable templates) and PDFs (WeasyPrint), in the
layout of Decree 30/2020 (A4, Times-metric serif, national motto, numbered articles)."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from thidua.core.templatetags.thidua import money as _money
from thidua.core.text import nfc
from thidua.documents.fonts import serif
from thidua.documents.models import DocumentTemplate

DEFAULT_TEMPLATES = Path(__file__).parent / "default_templates"
DECISION_FIELDS = {"number_label", "award_form", "awards", "signer_name"}


def _counts(awards) -> str:
    collectives = sum(1 for a in awards if a.kind == "collective")
    individuals = len(awards) - collectives
    parts = []
    if collectives:
        parts.append(_("%(n)s tập thể") % {"n": collectives})
    if individuals:
        parts.append(_("%(n)s cá nhân") % {"n": individuals})
    return _(" và ").join(parts)


def decision_context(decision) -> dict:
    awards = list(decision.awards.all())
    issuer = nfc(decision.issuer.name_on(decision.issued_on)).upper()
    head = "ỦY BAN NHÂN DÂN"
    line2 = issuer[len(head):].strip() if issuer.startswith(head) else ""
    d = decision.issued_on
    return {
        "issuer_upper_1": head if line2 else issuer,
        "issuer_upper_2": line2,
        "authority_upper": f"CHỦ TỊCH {issuer}",
        "number_label": decision.number_label,
        "place": nfc(decision.place),
        "date_words": f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
        "date_short": d.strftime("%d/%m/%Y"),
        "award_form": nfc(decision.award_form.name),
        "grounds": [nfc(line) for line in decision.legal_grounds.splitlines() if line.strip()],
        "counts": _counts(awards),
        "movement": nfc(decision.movement.title),
        "total_cash": _money(sum(a.cash for a in awards)),
        "capacity": decision.signer_capacity,
        "signer_title": decision.signer_title,
        "signer_name": nfc(str(decision.signer)),
        "awards": [{
            "order": a.order, "name": nfc(a.name),
            "where": nfc(" – ".join(p for p in [a.position, a.unit_name] if p)),
            "cash": _money(a.cash), "citation": nfc(a.citation),
        } for a in awards],
    }


def decision_pdf(decision) -> bytes:
    from weasyprint import HTML

    family, _paths = serif()
    html = render_to_string("documents/decision.html",
                            {**decision_context(decision), "font_family": family})
    return HTML(string=html).write_pdf()


def _template_for(kind: str, organisation) -> Path | io.BytesIO:
    custom = DocumentTemplate.objects.filter(kind=kind, organisation=organisation).first()
    if custom is not None:
        return io.BytesIO(custom.file.read())
    return DEFAULT_TEMPLATES / f"{kind}.docx"


def render_docx(source, context: dict) -> bytes:
    """Render a DOCX template. Autoescape keeps & < > " intact; an unknown {{ field }} or a
    broken tag is refused with a message instead of silently printing nothing."""
    document = DocxTemplate(source)
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    try:
        document.render(context, jinja_env=env, autoescape=True)
    except Exception as exc:  # jinja2 raises several types for a faulty template
        raise ValidationError(_("Mẫu văn bản có trường không hợp lệ: %(error)s")
                              % {"error": exc}) from exc
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def decision_docx(decision) -> bytes:
    return render_docx(_template_for("decision", decision.issuer), decision_context(decision))


def check_template(data: bytes) -> None:
    """Refuse a replacement template that lacks the required fields or does not render."""
    try:
        fields = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except Exception as exc:
        raise ValidationError(_("Không đọc được mẫu .docx: %(error)s") % {"error": exc}) from exc
    missing = DECISION_FIELDS - set(fields)
    if missing:
        raise ValidationError(_("Mẫu thiếu các trường: %(fields)s")
                              % {"fields": ", ".join(sorted(missing))})
