"""Generated documents: DOCX drafts (docxtpl, replaceable templates) and PDFs (WeasyPrint), in the
layout of Decree 30/2020 (A4, Times-metric serif, national motto, numbered articles).

What each document says comes from its registered kind (``kinds.py``)."""

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from thidua.documents.fonts import serif
from thidua.documents.kinds import get_kind
from thidua.documents.models import DocumentTemplate

DEFAULT_TEMPLATES = Path(__file__).parent / "default_templates"


def render_pdf(key: str, obj) -> bytes:
    """The document as PDF (WeasyPrint), with a serif font that has every Vietnamese glyph."""
    from weasyprint import HTML

    kind = get_kind(key)
    family, _paths = serif()
    html = render_to_string(kind.template_name, {**kind.context(obj), "font_family": family})
    return HTML(string=html).write_pdf()


def _template_for(kind: str, organisation) -> Path | io.BytesIO:
    # The organisation's own template, else one an administrator set for every organisation.
    custom = (DocumentTemplate.objects.filter(kind=kind, organisation=organisation).first()
              or DocumentTemplate.objects.filter(kind=kind, organisation__isnull=True).first())
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


def render_kind_docx(key: str, obj) -> bytes:
    """The document as an editable DOCX draft, from the organisation's template or the default."""
    kind = get_kind(key)
    return render_docx(_template_for(key, kind.organisation(obj)), kind.context(obj))


def decision_pdf(decision) -> bytes:
    return render_pdf("decision", decision)


def decision_docx(decision) -> bytes:
    return render_kind_docx("decision", decision)


def check_template(data: bytes, key: str = "decision") -> None:
    """Refuse a replacement template that lacks the required fields or does not render."""
    try:
        fields = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables()
    except Exception as exc:
        raise ValidationError(_("Không đọc được mẫu .docx: %(error)s") % {"error": exc}) from exc
    missing = set(get_kind(key).required_fields) - set(fields)
    if missing:
        raise ValidationError(_("Mẫu thiếu các trường: %(fields)s")
                              % {"fields": ", ".join(sorted(missing))})
    # A misspelt field ({{ signer_nam }}) would pass the check above and fail at every download:
    # only the fields the built-in template uses are known to exist.
    known = known_fields(key)
    unknown = set(fields) - known
    if unknown:
        raise ValidationError(_("Mẫu có trường không có trong văn bản này: %(fields)s. Các trường "
                                "dùng được: %(known)s")
                              % {"fields": ", ".join(sorted(unknown)),
                                 "known": ", ".join(sorted(known))})


def known_fields(key: str) -> set[str]:
    """The fields of the built-in template of ``key`` (what its context always provides)."""
    return set(DocxTemplate(DEFAULT_TEMPLATES / f"{key}.docx").get_undeclared_template_variables())
