"""Generated documents: DOCX drafts (docxtpl, replaceable templates) and PDFs (WeasyPrint), in the
layout of Decree 30/2020 (A4, Times-metric serif, national motto, numbered articles).

What each document says comes from its registered kind (``kinds.py``)."""

import hashlib
import io
import json
import logging
import re
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.template.loader import get_template, render_to_string
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from thidua.documents.fonts import serif
from thidua.documents.kinds import get_kind
from thidua.documents.models import DocumentTemplate

DEFAULT_TEMPLATES = Path(__file__).parent / "default_templates"


# Part of every content hash: raise it when a change to the rendering code (not to a template or
# to the data, which the hash sees by itself) changes what the files look like, so no file
# rendered before is served again.
RENDERER_VERSION = "1"

Progress = Callable[[int, int], None]  # (percent, pages laid out so far)


@dataclass(frozen=True)
class Prepared:
    """Everything one render reads, gathered once: what is hashed is exactly what is rendered."""

    key: str
    fmt: str
    context: dict
    template: bytes  # the DOCX template's bytes; for a PDF, the HTML template chain's source
    content_hash: str


def _json_default(value):
    # Sets have no stable order; everything else a context holds (dates, Decimals, lazy
    # translations) prints the same way it renders.
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    return str(value)


_PARENTS = re.compile(r"""{%\s*(?:extends|include)\s+["']([^"']+)["']""")


def _html_sources(name: str, seen: set[str] | None = None) -> bytes:
    """The source of the HTML template and of every template it extends or includes by name."""
    seen = set() if seen is None else seen
    if name in seen:
        return b""
    seen.add(name)
    source = get_template(name).template.source
    parts = [name.encode(), source.encode()]
    parts += [_html_sources(parent, seen) for parent in _PARENTS.findall(source)]
    return b"\0".join(parts)


def prepare(key: str, obj, fmt: str) -> Prepared:
    """The context and template of ``obj``'s document in ``fmt``, and their content hash."""
    kind = get_kind(key)
    context = kind.context(obj)
    if fmt == "pdf":
        family, _paths = serif()
        context = {**context, "font_family": family}
        template = _html_sources(kind.template_name)
    else:
        template = _template_bytes(key, kind.organisation(obj))
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION.encode(), key.encode(), fmt.encode(),
                 hashlib.sha256(template).digest(),
                 json.dumps(context, sort_keys=True, ensure_ascii=False,
                            default=_json_default).encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return Prepared(key, fmt, context, template, digest.hexdigest())


def render_prepared(prepared: Prepared, progress: Progress | None = None) -> bytes:
    """Render what :func:`prepare` gathered, telling ``progress`` how far it got."""
    if prepared.fmt == "pdf":
        return _pdf(get_kind(prepared.key).template_name, prepared.context, progress)
    report = progress or (lambda percent, pages: None)
    report(10, 0)
    data = render_docx(io.BytesIO(prepared.template), prepared.context)
    report(90, 0)
    return data


class _PageCounter(logging.Handler):
    """WeasyPrint says on its progress logger as it lays out each page; this counts the pages of
    the render running on this thread only (a threaded server renders several at once)."""

    PAGE = re.compile(r"Creating layout - Page (\d+)")

    def __init__(self, report: Progress):
        super().__init__(logging.INFO)
        self.thread = threading.get_ident()
        self.report = report
        self.pages = 0

    def emit(self, record):
        if record.thread != self.thread:
            return
        message = record.getMessage()
        if match := self.PAGE.search(message):
            self.pages = int(match.group(1))
            # Layout is most of the time; the total is unknown until it ends, so the bar
            # approaches 85 % and the page count says how far it really got.
            self.report(10 + 75 * self.pages // (self.pages + 10), self.pages)
        elif "Creating PDF" in message:
            self.report(90, self.pages)


@contextmanager
def _counting_pages(report: Progress):
    # Only around the worker's renders: the progress messages are counted here, not printed.
    logger = logging.getLogger("weasyprint.progress")
    handler = _PageCounter(report)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def _pdf(template_name: str, context: dict, report: Progress | None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    if report is None:
        return HTML(string=html).write_pdf()
    report(5, 0)
    with _counting_pages(report):
        return HTML(string=html).write_pdf()


def render_pdf(key: str, obj) -> bytes:
    """The document as PDF (WeasyPrint), with a serif font that has every Vietnamese glyph."""
    return render_prepared(prepare(key, obj, "pdf"))


def _template_bytes(kind: str, organisation) -> bytes:
    # The organisation's own template, else one an administrator set for every organisation.
    custom = (DocumentTemplate.objects.filter(kind=kind, organisation=organisation).first()
              or DocumentTemplate.objects.filter(kind=kind, organisation__isnull=True).first())
    if custom is not None:
        with custom.file.open("rb") as f:
            return f.read()
    return (DEFAULT_TEMPLATES / f"{kind}.docx").read_bytes()


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
    return render_prepared(prepare(key, obj, "docx"))


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
