from django import template

from thidua.documents.kinds import get_kind
from thidua.documents.models import SignedCopy

register = template.Library()


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def document_panel(context, key, obj):
    """Links to a document's DOCX draft and PDF, its signed scan, and the form to file one."""
    kind = get_kind(key)
    user = context["request"].user
    return {"kind": kind, "obj": obj, "csrf_token": context.get("csrf_token"),
            "signed": SignedCopy.current(key, obj),
            "may_upload": kind.may_upload_signed(user, obj),
            # Said beside the links, so a click that opens a progress page is no surprise.
            "long": kind.is_long(kind.length(obj), "pdf")}
