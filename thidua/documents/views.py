"""Download any generated document as DOCX or PDF, or a document's package (ZIP); file and fetch
its signed scan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from thidua.core.feedback import perform
from thidua.documents import rendering
from thidua.documents.access import get_render_job_for
from thidua.documents.actions import file_signed_copy
from thidua.documents.kinds import get_kind
from thidua.documents.models import RenderedDocument, SignedCopy
from thidua.documents.packages import build, get_package
from thidua.documents.render import prepare, render_prepared

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"
CONTENT_TYPES = {"pdf": "application/pdf", "docx": DOCX}


def download(content: bytes, file_name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
def document_file(request, kind, pk, fmt):
    """The generated draft: ``.docx`` to edit in Word, ``.pdf`` to read or print.

    Made once per content: a file already rendered from exactly what the document says now is
    served from storage. A long document (its kind's size) is rendered by the worker: the
    answer is its job's page, which follows the progress and then links back here."""
    document = get_kind(kind)
    obj = document.fetch(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    name = f"{document.file_name(obj)}.{fmt}"
    prepared = prepare(kind, obj, fmt)
    made = rendering.stored(prepared, obj)
    if made is not None:
        try:
            return FileResponse(made.file.open("rb"), as_attachment=True, filename=name,
                                content_type=CONTENT_TYPES[fmt])
        except OSError:
            # The file went missing from storage (a restore without media): made again below.
            made.delete()
    length = document.length(obj)
    if document.is_long(length, fmt):
        done = perform(request, rendering.request_render, prepared, obj, size=length,
                       by=request.user)
        if done:
            return redirect(done.value)
    else:
        # Short: rendered here, in well under a second, and not kept (a draft changes often).
        # A replaced template that does not fit the document is refused: said on the object's
        # page.
        done = perform(request, render_prepared, prepared)
        if done:
            return download(done.value, name, CONTENT_TYPES[fmt])
    return redirect(obj.get_absolute_url())


def package_download(request, key: str, obj):
    """Trọn bộ: ``obj``'s package (its kind ``key``), ``obj`` fetched by the caller through the
    package's own access (``PackageKind.fetch``).

    Described first (``PackageKind.plan``: every file and the hash of its bytes, without making
    any), then found by that plan's key: a package already made of exactly this content is
    served from storage. One that would take more than about a second to make is made by the
    worker (the answer is its job's page, as for a long document); a smaller one is made here,
    into a temporary file streamed out, and not kept."""
    package = get_package(key)
    name = f"{package.file_name(obj)}.zip"
    plan = package.plan(obj)
    identity = plan.job_identity(key)
    made = rendering.stored(identity, obj)
    if made is not None:
        try:
            return FileResponse(made.file.open("rb"), as_attachment=True, filename=name,
                                content_type=ZIP)
        except OSError:
            made.delete()  # gone from storage (a restore without media): made again below
    if plan.is_long:
        done = perform(request, rendering.request_render, identity, obj, size=plan.size,
                       by=request.user)
        if done:
            return redirect(done.value)
    else:
        # A replaced template that does not fit the document is refused: said on the object's
        # page.
        done = perform(request, build, plan)
        if done:
            return FileResponse(done.value, as_attachment=True, filename=name, content_type=ZIP)
    return redirect(obj.get_absolute_url())


@login_required
def render_job(request, kind, pk, job):
    """A long document (or a large package) being made: a progress bar that polls itself
    (``?phan=progress``) until the file can be downloaded or the job has failed."""
    job, obj = get_render_job_for(request.user, kind, pk, job)
    if job.format == RenderedDocument.Format.ZIP:
        download_url = get_package(kind).url(obj)
    else:
        download_url = reverse("documents:file", args=[kind, pk, job.format])
    context = {"job": job, "obj": obj, "kind": get_kind(kind), "download_url": download_url}
    if request.GET.get("phan") == "progress":
        return render(request, "documents/render_job.html#progress", context)
    return render(request, "documents/render_job.html", context)


@login_required
@require_POST
def render_job_retry(request, kind, pk, job):
    job, _obj = get_render_job_for(request.user, kind, pk, job)
    perform(request, rendering.retry_render, job, by=request.user,
            success=_("Đã đưa văn bản vào hàng chờ để tạo lại."))
    return redirect(job)


@login_required
@require_http_methods(["GET", "POST"])
def signed_copy(request, kind, pk):
    """GET: the current signed scan (the record). POST: file a new one."""
    document = get_kind(kind)
    obj = document.fetch(request.user, pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Hãy chọn tệp bản đã ký (PDF hoặc ảnh chụp) để tải lên."))
        else:
            perform(request, file_signed_copy, kind, obj, uploaded_file=upload, by=request.user,
                    success=_("Đã lưu bản đã ký; đây là bản chính thức của văn bản."))
        return redirect(obj.get_absolute_url())
    copy = SignedCopy.current(kind, obj)
    if copy is None:
        raise Http404
    return FileResponse(copy.file.open("rb"), as_attachment=True,
                        filename=f"{document.file_name(obj)}-ban-ky{_extension(copy)}",
                        content_type=copy.content_type)


def _extension(copy) -> str:
    name = copy.file.name
    return name[name.rfind("."):] if "." in name else ""
