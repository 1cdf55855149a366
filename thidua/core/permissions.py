"""The one permission gate for action functions."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(by, perm: str, obj=None) -> None:
    """Refuse unless ``by`` holds ``perm`` (on ``obj``).

    ``by=None`` is the system itself: management commands, fixture loads and data migrations.
    Views always pass ``request.user``, so a request can never act as the system.
    """
    if by is None:
        return
    if not by.has_perm(perm, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
