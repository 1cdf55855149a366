"""The generated documents (văn bản) the product writes, one registered kind each.

Each domain app describes its own documents in its ``documents.py`` (imported by its AppConfig):
how to fetch the object for a user (its access helper: 404 for what the user may not see), the
template context, which organisation's replacement template applies, and who may upload the
signed scan. The documents app renders every kind the same way — DOCX from a replaceable
docxtpl template, PDF through WeasyPrint — and keeps the signed scans.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404


@dataclass(frozen=True)
class DocumentKind:
    key: str  # also the default template's file name: default_templates/<key>.docx
    title: str  # Vietnamese, shown to users: "Quyết định khen thưởng"
    required_fields: frozenset[str]  # a replacement DOCX template must use these
    context: Callable[[Any], dict]
    fetch: Callable[[Any, Any], Any]  # (user, pk) -> object, Http404 when not visible
    organisation: Callable[[Any], Any]  # whose replacement template applies
    file_name: Callable[[Any], str]  # ASCII base name, without extension
    may_upload_signed: Callable[[Any, Any], bool] = field(default=lambda user, obj: False)
    html_template: str = ""  # defaults to documents/<key>.html
    # How long this object's document is, counted cheaply (lines of the annex, agenda items),
    # and from what length it is rendered by the worker instead of inside the request
    # (``documents.rendering``), so no request spends much over half a second on it. None:
    # always short enough to render at once. A PDF is laid out page by page by WeasyPrint
    # (about 11 ms a decision line here); a DOCX only fills a table (about 0.3 ms a line).
    size: Callable[[Any], int] | None = None
    background_from: int = 50
    background_from_docx: int = 2000
    # What it is made as. A DOCX-only kind (the movement's summary report: a draft whose
    # narrative the office writes) has no HTML template and no PDF.
    formats: frozenset[str] = frozenset({"docx", "pdf"})
    # Every name its context gives, the members of the lists a template loops over dotted
    # ("criteria.rows.unit"). Declared, a replacement template is checked against it, loops
    # included (``render.check_template``); empty, against the names the built-in template uses
    # (top-level names only).
    fields: frozenset[str] = frozenset()

    def length(self, obj) -> int:
        return self.size(obj) if self.size is not None else 0

    def is_long(self, length: int, fmt: str = "pdf") -> bool:
        limit = self.background_from if fmt == "pdf" else self.background_from_docx
        return self.size is not None and length >= limit

    @property
    def template_name(self) -> str:
        return self.html_template or f"documents/{self.key}.html"


KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    KINDS[kind.key] = kind
    return kind


def get_kind(key: str) -> DocumentKind:
    try:
        return KINDS[key]
    except KeyError:
        raise Http404 from None
