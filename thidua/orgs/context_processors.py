"""Navigation built from the signed-in user's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thidua.orgs.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        items = [(_("Trang chủ"), reverse("public-home"), "house"),
                 (_("Phong trào"), reverse("movements:list"), "flag"),
                 (_("Gương điển hình"), reverse("exemplars:public-list"), "stars"),
                 (_("Bảng vàng"), reverse("honour-roll"), "trophy"),
                 (_("Công khai"), reverse("public-disclosures"), "megaphone"),
                 (_("Tìm kiếm"), reverse("search"), "search")]
        return {"nav_items": items, "user_roles": set()}
    if getattr(request, "second_factor_due", False):  # orgs.middleware: the code comes first
        return {"nav_items": [], "user_roles": set()}
    # Short labels: the bar must fit an office screen (1280 px) with every item a role can have.
    roles = user.roles()
    items = [(_("Việc của tôi"), reverse("home"), "inbox"),
             (_("Phong trào"), reverse("movements:list"), "flag")]
    if roles & {Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.CHAIRMAN, Role.VIEWER} or user.is_superuser:
        items.append((_("Hồ sơ"), reverse("nominations:list"), "folder2-open"))
    if roles & {Role.COUNCIL_MEMBER}:
        items.append((_("Theo dõi"), reverse("movements:supervision"), "binoculars"))
    # Administrators reach exemplars through the admin: their bar is already full.
    if roles & {Role.UNIT_OFFICER, Role.COMMUNICATIONS_EDITOR}:
        items.append((_("Gương điển hình"), reverse("exemplars:manage"), "stars"))
    if roles & {Role.RECEIVING_OFFICE} or user.is_superuser:
        items.append((_("Tiếp nhận"), reverse("nominations:queue"), "inbox-fill"))
    if roles & {Role.RECEIVING_OFFICE, Role.COUNCIL_SECRETARIAT, Role.COUNCIL_MEMBER,
                 Role.CHAIRMAN} or user.is_superuser:
        items.append((_("Họp xét"), reverse("reviews:list"), "people"))
    if roles & {Role.COUNCIL_SECRETARIAT, Role.CHAIRMAN, Role.UNIT_OFFICER,
                 Role.UNIT_HEAD} or user.is_superuser:
        # Units issue their own decisions and follow the city's for their people.
        items.append((_("Quyết định"), reverse("decisions:list"), "file-earmark-text"))
    if user.has_perm("nominations.view_register"):
        items.append((_("Sổ khen thưởng"), reverse("register:search"), "journal-bookmark"))
    if roles or user.is_superuser:
        items.append((_("Đơn vị"), reverse("orgs:mine"), "diagram-3"))
    if roles & {Role.RECEIVING_OFFICE, Role.COUNCIL_SECRETARIAT, Role.VIEWER, Role.CHAIRMAN}:
        items.append((_("Nhật ký"), reverse("activity"), "clock-history"))
    if user.is_superuser:
        items.append((_("Quản trị"), reverse("admin:index"), "gear"))
    return {"nav_items": items, "user_roles": roles}
