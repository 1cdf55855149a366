"""Download any generated document as DOCX or PDF; file and fetch its signed scan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from thidua.core.feedback import perform
from thidua.documents.actions import file_signed_copy
from thidua.documents.kinds import get_kind
from thidua.documents.models import SignedCopy
from thidua.documents.render import render_kind_docx, render_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(content: bytes, file_name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


@login_required
def document_file(request, kind, pk, fmt):
    """The generated draft: ``.docx`` to edit in Word, ``.pdf`` to read or print."""
    document = get_kind(kind)
    obj = document.fetch(request.user, pk)
    if fmt not in {"pdf", "docx"}:
        raise Http404
    # A replaced template that does not fit the document is refused: said on the object's page.
    if fmt == "pdf":
        done = perform(request, render_pdf, kind, obj)
        if done:
            return download(done.value, f"{document.file_name(obj)}.pdf", "application/pdf")
    else:
        done = perform(request, render_kind_docx, kind, obj)
        if done:
            return download(done.value, f"{document.file_name(obj)}.docx", DOCX)
    return redirect(obj.get_absolute_url())


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
