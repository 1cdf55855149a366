"""Filing the signed scan of a generated document (bản đã ký), which then becomes the record."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from thidua.core import activity
from thidua.core.uploads import check_upload, kept_only_if_saved, server_file_name
from thidua.documents.kinds import get_kind
from thidua.documents.models import SignedCopy

SIGNED_COPY_KINDS = {"pdf", "jpeg", "png"}


def file_signed_copy(key: str, obj, *, uploaded_file, by) -> SignedCopy:
    """Store the signed scan of ``obj``'s document ``key``; a refused file leaves nothing."""
    kind = get_kind(key)
    checked = check_upload(uploaded_file, allowed=SIGNED_COPY_KINDS)
    if not kind.may_upload_signed(by, obj):
        raise PermissionDenied(_("Bạn không có quyền tải lên bản đã ký của văn bản này."))
    copy = SignedCopy(kind=key, object_id=obj.pk, original_name=checked.original_name,
                      content_type=checked.content_type, size=checked.size,
                      sha256=checked.sha256, uploaded_by=by)
    copy.file.save(server_file_name(checked, prefix="signed/"), uploaded_file, save=False)
    with kept_only_if_saved(copy.file):
        copy.save()
        activity.record("document.signed_copy", actor=by, target=obj,
                        organisation=kind.organisation(obj),
                        after={"kind": key, "name": checked.original_name,
                               "sha256": checked.sha256})
    return copy
