"""Generated documents: DOCX drafts (docxtpl, replaceable templates) and PDFs (WeasyPrint), in the
layout of Decree 30/2020 (A4, Times-metric serif, national motto, numbered articles).

What each document says comes from its registered kind (``kinds.py``)."""

import functools
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

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from docx.oxml import parse_xml
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from thidua.documents.context import Picture
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
    # Sets have no stable order; a picture is its bytes; everything else a context holds
    # (dates, Decimals, lazy translations) prints the same way it renders.
    if isinstance(value, set | frozenset):
        return sorted(map(str, value))
    if isinstance(value, Picture):
        return value.digest
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


def in_document_language(fn):
    """Run ``fn`` in the product's language whatever the reader's: a decision or a package is an
    administrative paper in Vietnamese, and its content hash (what a stored copy is found by)
    must not change with the interface language of whoever asked for it."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)
    return wrapper


@in_document_language
def prepare(key: str, obj, fmt: str) -> Prepared:
    """The context and template of ``obj``'s document in ``fmt``, and their content hash."""
    kind = get_kind(key)
    if fmt not in kind.formats:
        raise Http404
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


@in_document_language
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


def replacement(kind: str, organisation) -> DocumentTemplate | None:
    """The template that replaces the built-in one of ``kind`` for ``organisation``: its own,
    else one an administrator set for every organisation; None: the built-in one applies."""
    return (DocumentTemplate.objects.filter(kind=kind, organisation=organisation).first()
            or DocumentTemplate.objects.filter(kind=kind, organisation__isnull=True).first())


def _template_bytes(kind: str, organisation) -> bytes:
    custom = replacement(kind, organisation)
    if custom is not None:
        with custom.file.open("rb") as f:
            return f.read()
    return (DEFAULT_TEMPLATES / f"{kind}.docx").read_bytes()


def _with_pictures(document: DocxTemplate, value):
    """The context with each :class:`Picture` made an InlineImage of ``document`` (docxtpl puts
    a picture only into the template it was made for)."""
    if isinstance(value, Picture):
        return InlineImage(document, io.BytesIO(value.data), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {key: _with_pictures(document, item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_with_pictures(document, item) for item in value]
    return value


def render_docx(source, context: dict) -> bytes:
    """Render a DOCX template. Autoescape keeps & < > " intact; an unknown {{ field }} or a
    broken tag is refused with a message instead of silently printing nothing."""
    document = DocxTemplate(source)
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)
    try:
        document.render(_with_pictures(document, context), jinja_env=env, autoescape=True)
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


def _parsed(source):
    """The Jinja syntax tree of a DOCX template: its body, headers and footers, with docxtpl's
    {%p %}, {%tr %} … tags made plain tags (as docxtpl's own get_undeclared_template_variables
    reads them)."""
    template = DocxTemplate(source)
    template.init_docx()
    xml = template.patch_xml(template.xml_to_string(template.docx._element.body))
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for rel in template.docx._part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml += template.patch_xml(template.xml_to_string(
                    parse_xml(rel.target_part.blob)))
    # Only parsed, never rendered: what it reads, not what it prints.
    return SandboxedEnvironment(autoescape=True).parse(xml)


def _path(expr, scope: dict) -> str | None:
    """The dotted name an expression reads: "criteria.rows" for ``c.rows`` when ``c`` runs over
    ``criteria`` (an element of a list is named as the list); None for what is not a name."""
    if isinstance(expr, nodes.Name):
        return scope.get(expr.name, expr.name)
    if isinstance(expr, nodes.Getattr | nodes.Getitem):
        base = _path(expr.node, scope)
        if isinstance(expr, nodes.Getattr):
            return f"{base}.{expr.attr}" if base else None
        if base and isinstance(expr.arg, nodes.Const):
            return f"{base}.{expr.arg.value}" if isinstance(expr.arg.value, str) else base
        return None
    if isinstance(expr, nodes.Filter) and expr.node is not None:
        return _path(expr.node, scope)  # an element of a sorted list is one of the list
    return None


def _names(target) -> list[str]:
    """The names a {% for %} or {% set %} binds: one, or each of a tuple."""
    if isinstance(target, nodes.Name):
        return [target.name]
    return [name.name for name in target.find_all(nodes.Name)]


def _members(tree) -> set[str]:
    """Every member a template reads, dotted from the context's own names: ``{{ r.unit }}``
    inside ``{% for r in c.rows %}`` inside ``{% for c in criteria %}`` reads
    "criteria.rows.unit"."""
    found: set[str] = set()

    def walk(node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            walk(node.iter, scope)
            element = _path(node.iter, scope) if isinstance(node.target, nodes.Name) else None
            inner = {**scope, "loop": None}
            for name in _names(node.target):
                inner[name] = element
            for child in [*node.body, *([node.test] if node.test is not None else [])]:
                walk(child, inner)
            for child in node.else_:
                walk(child, scope)
            return
        if isinstance(node, nodes.Assign):  # {% set x = … %}: x names what it was set to
            walk(node.node, scope)
            value = _path(node.node, scope) if isinstance(node.target, nodes.Name) else None
            for name in _names(node.target):
                scope[name] = value
            return
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            path = _path(node, scope)
            if path and "." in path:
                found.add(path)
        for child in node.iter_child_nodes():
            walk(child, scope)

    walk(tree, {})
    return found


def check_template(data: bytes, key: str = "decision") -> None:
    """Refuse a replacement template that lacks the required fields or does not render."""
    kind = get_kind(key)
    try:
        tree = _parsed(io.BytesIO(data))
        fields = meta.find_undeclared_variables(tree)
        members = _members(tree) if kind.fields else set()
    except Exception as exc:
        raise ValidationError(_("Không đọc được mẫu .docx: %(error)s") % {"error": exc}) from exc
    missing = set(kind.required_fields) - set(fields)
    if missing:
        raise ValidationError(_("Mẫu thiếu các trường: %(fields)s")
                              % {"fields": ", ".join(sorted(missing))})
    # A misspelt field ({{ signer_nam }}) would pass the check above and fail at every download:
    # only the fields the built-in template uses (or those the kind declares, with the members
    # of its lists: {{ r.unti }} in a loop) are known to exist.
    known = known_fields(key)
    unknown = set(fields) - known
    # A member of an unknown name ({{ c.title }} in a loop over "tieu_chi") is that name's fault.
    unknown |= {m for m in members - known if m.split(".", 1)[0] not in unknown}
    if unknown:
        raise ValidationError(_("Mẫu có trường không có trong văn bản này: %(fields)s. Các trường "
                                "dùng được: %(known)s")
                              % {"fields": ", ".join(sorted(unknown)),
                                 "known": ", ".join(sorted(known))})


def known_fields(key: str) -> set[str]:
    """The fields a template of ``key`` may use: those its kind declares, else those of its
    built-in template (what its context always provides)."""
    kind = get_kind(key)
    if kind.fields:
        return set(kind.fields)
    return set(DocxTemplate(DEFAULT_TEMPLATES / f"{key}.docx").get_undeclared_template_variables())
