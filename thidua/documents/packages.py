"""Packages (hồ sơ gửi cấp trên): a ZIP with a manifest of what each file is and its SHA-256.

This module packs and keeps; each domain app decides what goes into its own packages
(``nominations.packages``, ``decisions.packages``) and registers them here.

A package is described before it is made. Its :class:`Plan` lists every entry — its path, what
it is, and the identity of its bytes: a rendered document's content hash (``render.prepare``), a
stored file's recorded SHA-256 — and the plan's :attr:`~Plan.key` hashes all of that. The key
finds a package already made, as a document's content hash does: a finished package is a
:class:`~thidua.documents.models.RenderedDocument` of format ``zip`` under that key, served from
storage; a package whose making costs more than about a second (:attr:`Plan.cost_ms`) is made by
the worker (``tasks.py``) with the same job, page and guarantees as a long document.

The ZIP is written entry by entry into a temporary file, each stored file copied in chunks and
each rendered document discarded once written: a package is never whole in memory.
"""

import contextlib
import dataclasses
import hashlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, Any

from django.core.files import File
from django.http import Http404
from django.utils import timezone

from thidua.core.text import fold
from thidua.documents.kinds import get_kind
from thidua.documents.models import RenderedDocument, SignedCopy
from thidua.documents.render import Prepared, in_document_language, prepare, render_prepared

# Part of every package's key: raise it when a change to this code (not to what goes in, which
# the key sees by itself) changes what the archives hold.
PACKAGE_VERSION = "1"

CHUNK = 1024 * 1024

# Already compressed (a DOCX or XLSX is itself a ZIP; PDFs, pictures and scans compress their
# streams): stored as they are. Deflating them again gains a few per cent at tens of MB a second.
COMPRESSED = frozenset({"pdf", "docx", "xlsx", "zip", "jpg", "jpeg", "png", "webp", "gif"})

# What making a package costs (measured with bench/packages.py). A generated document costs
# what its kind declares: each kind renders by itself in the request up to ``background_from``
# lines (PDF) or ``background_from_docx`` (DOCX), chosen where that takes about half a second
# (``documents.kinds``), so a decision line's PDF is about 10 ms, its DOCX a quarter of one.
# Writing a dossier's Excel list is about half a millisecond a row (``nominations.packages``);
# copying a stored file about 2 ms and 5 ms a MB (already compressed files are stored as they
# are, not deflated again). The sum is close to the whole request's time (measured: a decision
# package of 66 lines 0.7 s, of 100 lines 1.0 s); from BACKGROUND_FROM_MS, about a second, the
# package is made by the worker: a decision's from 89 lines, a dossier's from 85 people, or
# some 200 MB of files.
KIND_THRESHOLD_MS = 500
PDF_MS = 60
DOCX_MS = 30
COPY_MS = 2
COPY_MS_PER_MB = 5
BACKGROUND_FROM_MS = 1000

Progress = Callable[[int, int], None]  # (percent, pages laid out so far)


def safe_name(name: str) -> str:
    """An ASCII file name for the archive (some unzip tools still mangle UTF-8 names)."""
    folded = fold(name).replace(" ", "-")
    return "".join(ch for ch in folded if ch.isalnum() or ch in "-._") or "tep"


class Package:
    """The ZIP being written into ``target`` (any writable, seekable binary file; a temporary
    file when none is given), entry by entry, and its manifest."""

    def __init__(self, title: str, reference: str, target: IO[bytes] | None = None):
        # Deleted by the system once closed, or if the process dies while writing it.
        self.target = target if target is not None else tempfile.TemporaryFile()  # noqa: SIM115
        self.archive = zipfile.ZipFile(self.target, "w", zipfile.ZIP_DEFLATED)
        self.manifest = {"title": title, "reference": reference,
                         "created_at": timezone.now().isoformat(), "files": []}
        self.paths: set[str] = set()

    def add(self, path: str, content: bytes | IO[bytes], *, kind: str, description: str,
            **extra) -> dict:
        """Add ``content`` (bytes, or a binary file read in chunks and closed) as ``path``;
        returns its manifest line, with the SHA-256 and size of exactly the bytes written."""
        if path in self.paths:
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}-{len(self.manifest['files'])}{dot}{ext}"
        self.paths.add(path)
        info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = (zipfile.ZIP_STORED if path.rpartition(".")[2].lower() in COMPRESSED
                              else zipfile.ZIP_DEFLATED)
        digest, size = hashlib.sha256(), 0
        with self.archive.open(info, "w") as out:
            for chunk in _chunks(content):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        line = {"path": path, "kind": kind, "description": description,
                "sha256": digest.hexdigest(), "size": size, **extra}
        self.manifest["files"].append(line)
        return line

    def finish(self) -> IO[bytes]:
        """Write the manifest and close the archive; the file, at its start."""
        self.archive.writestr("manifest.json", json.dumps(self.manifest, ensure_ascii=False,
                                                          indent=2))
        self.archive.close()
        self.target.seek(0)
        return self.target

    def abandon(self) -> None:
        """Drop a package that could not be finished; its temporary file goes with it."""
        with contextlib.suppress(Exception):
            self.archive.close()
        self.target.close()


def _chunks(content: bytes | IO[bytes]) -> Iterable[bytes]:
    if isinstance(content, bytes | bytearray):
        yield bytes(content)
        return
    with content:
        while chunk := content.read(CHUNK):
            yield chunk


# --- what goes in -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One file of a package, described before it is made: ``identity`` is what its bytes are
    (into the package's key), ``open(progress)`` makes or opens them, ``cost_ms`` is what that
    takes (measured constants above)."""

    path: str
    kind: str
    description: str
    identity: str
    open: Callable[[Progress | None], bytes | IO[bytes]]
    cost_ms: float
    extra: dict[str, Any] = field(default_factory=dict)


def stored_file(path: str, file, *, sha256: str, size: int, kind: str, description: str,
                **extra) -> Entry:
    """A file kept in storage (an upload, a signed scan), copied in chunks. ``sha256`` is the
    checksum recorded when it was uploaded: a replaced file is a new version with a new one."""
    return Entry(path, kind, description, f"file:{sha256}:{size}",
                 lambda progress: file.open("rb"), COPY_MS + COPY_MS_PER_MB * size / 2**20,
                 extra)


def rendered(path: str, key: str, obj, fmt: str, *, kind: str, description: str,
             **extra) -> Entry:
    """A generated document (``key``'s kind, in ``fmt``) as it reads now. A file the worker
    already rendered from exactly this content is copied from storage instead."""
    prepared = prepare(key, obj, fmt)
    made = RenderedDocument.finished(prepared.key, obj.pk, prepared.fmt, prepared.content_hash)
    if made is not None:
        def read(progress, made=made, prepared=prepared):
            try:
                return made.file.open("rb")
            except OSError:  # gone from storage (a restore without media): rendered after all
                return render_prepared(prepared, progress)
        cost = COPY_MS
    else:
        def read(progress, prepared=prepared):
            return render_prepared(prepared, progress)
        document = get_kind(key)
        length = document.length(obj)
        cost = (PDF_MS + KIND_THRESHOLD_MS * length / document.background_from if fmt == "pdf"
                else DOCX_MS + KIND_THRESHOLD_MS * length / document.background_from_docx)
    return Entry(path, kind, description, f"render:{prepared.content_hash}", read, cost, extra)


def generated(path: str, make: Callable[[], bytes], *, identity: str, cost_ms: float, kind: str,
              description: str, **extra) -> Entry:
    """A file made from data when the package is (a dossier's Excel list); ``identity`` is the
    hash of everything it is made from."""
    return Entry(path, kind, description, f"made:{identity}", lambda progress: make(), cost_ms,
                 extra)


def signed_copy(key: str, obj, base: str) -> list[Entry]:
    """The signed scan, when one is filed: the record the receiver relies on."""
    copy = SignedCopy.current(key, obj)
    if copy is None:
        return []
    ext = copy.file.name.rsplit(".", 1)[-1]
    return [stored_file(f"{base}-ban-da-ky.{ext}", copy.file, sha256=copy.sha256, size=copy.size,
                        kind=f"{key}_signed", description=f"{obj} — bản đã ký",
                        original_name=copy.original_name,
                        uploaded_at=copy.uploaded_at.isoformat())]


def digest_of(*parts: Any) -> str:
    """A SHA-256 over values as JSON (dates, decimals and the like as text): the identity of
    data a generated file is made from."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False,
                                     default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Plan:
    """Everything a package will hold, in order, and what it is called."""

    title: str
    reference: str
    entries: tuple[Entry, ...]
    size: int = 0  # its main document's lines, shown on the job's page

    @cached_property
    def key(self) -> str:
        """The hash of everything the archive holds: two plans with the same key make the same
        files (only the manifest's ``created_at`` differs)."""
        digest = hashlib.sha256()
        for part in (PACKAGE_VERSION, self.title, self.reference, *(
                json.dumps([e.path, e.kind, e.description, e.identity, e.extra],
                           sort_keys=True, ensure_ascii=False, default=str)
                for e in self.entries)):
            data = part.encode()
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    @property
    def cost_ms(self) -> float:
        return sum(entry.cost_ms for entry in self.entries)

    @property
    def is_long(self) -> bool:
        return self.cost_ms >= BACKGROUND_FROM_MS

    def job_identity(self, key: str) -> Prepared:
        """The package as a render job knows a document: its kind, format ``zip`` and hash."""
        return Prepared(key, "zip", {}, b"", self.key)


@in_document_language
def build(plan: Plan, progress: Progress | None = None) -> IO[bytes]:
    """Write the package into a temporary file; the file, at its start (deleted once closed).
    ``progress`` hears how far it got, by the entries' costs, and the pages of its PDFs."""
    package = Package(plan.title, plan.reference)
    try:
        total, done, pages = plan.cost_ms or 1, 0.0, 0
        for entry in plan.entries:
            laid_out = [0]

            def step(percent, entry_pages, start=done, entry=entry, before=pages,
                     laid_out=laid_out):
                laid_out[0] = entry_pages
                progress(int(95 * (start + entry.cost_ms * min(percent, 100) / 100) / total),
                         before + entry_pages)

            content = entry.open(step if progress is not None else None)
            package.add(entry.path, content, kind=entry.kind, description=entry.description,
                        **entry.extra)
            del content  # a rendered document is not kept once it is in the archive
            done += entry.cost_ms
            pages += laid_out[0]
            if progress is not None:
                progress(int(95 * done / total), pages)
        return package.finish()
    except BaseException:
        package.abandon()
        raise


def build_file(plan: Plan, progress: Progress | None = None) -> File:
    """:func:`build` as a Django file, for storing."""
    return File(build(plan, progress))


# --- the packages there are ---------------------------------------------------------------------

@dataclass(frozen=True)
class PackageKind:
    """A package of one document kind's objects (its ``key``: the package of a decision, of a
    proposal upward, of a dossier). ``fetch`` is its access: 404 for whoever may not take the
    package (it may be narrower than reading the document: a proposal's package holds other
    units' dossiers)."""

    key: str
    fetch: Callable[[Any, Any], Any]  # (user, pk) -> object, Http404 when not allowed
    plan: Callable[[Any], Plan]
    file_name: Callable[[Any], str]  # ASCII base name, without ".zip"
    url: Callable[[Any], str]  # where it is downloaded


PACKAGES: dict[str, PackageKind] = {}


def register_package(kind: PackageKind) -> PackageKind:
    """Register ``kind``; its plan is made in the product's language (the key must not follow
    the reader's)."""
    kind = dataclasses.replace(kind, plan=in_document_language(kind.plan))
    PACKAGES[kind.key] = kind
    return kind


def get_package(key: str) -> PackageKind:
    try:
        return PACKAGES[key]
    except KeyError:
        raise Http404 from None
