from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language

from thidua.core import health
from thidua.core import views as core_views
from thidua.decisions import views as decision_views
from thidua.decisions.honour_roll import honour_roll
from thidua.exemplars.sitemaps import ExemplarSitemap
from thidua.home import views as home_views
from thidua.home.search import search
from thidua.nominations import urls as nomination_urls
from thidua.orgs import forms as org_forms
from thidua.orgs import signin as org_signin
from thidua.reviews import views as review_views


def _admin_for_administrators_only(request):
    # Staff flags are not enough: only administrators (superusers) may open the admin site.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _admin_for_administrators_only
admin.site.site_header = "thidua — Quản trị"
admin.site.site_title = "thidua"

account_patterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(
        authentication_form=org_forms.LoginForm, redirect_authenticated_user=True),
        name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("doi-mat-khau/xong/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    # Mail only within a budget per visitor and per address (orgs.signin); the same answer.
    path("quen-mat-khau/", org_signin.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("", include("thidua.orgs.account_urls")),  # the account page, the second factor
]

urlpatterns = [
    path("", home_views.public_home, name="public-home"),
    path("viec-cua-toi/", home_views.home, name="home"),
    path("nhat-ky/", core_views.activity_log, name="activity"),
    path("thong-bao/da-doc/", core_views.notices_read, name="notices-read"),
    path("tai-khoan/", include(account_patterns)),
    path("phong-trao/", include("thidua.movements.urls")),
    path("don-vi/", include("thidua.orgs.urls")),
    path("ho-so/", include("thidua.nominations.urls")),
    path("so-khen-thuong/", include((nomination_urls.register_patterns, "register"),
                                     namespace="register")),
    path("hop/", include("thidua.reviews.urls")),
    path("quyet-dinh/", include("thidua.decisions.urls")),
    path("thong-ke/", include("thidua.reports.urls")),
    path("to-trinh/", include("thidua.decisions.proposal_urls")),
    path("van-ban/", include("thidua.documents.urls")),
    path("mau-phoi/", include("thidua.documents.layout_urls")),
    path("xac-minh/<str:serial>/", decision_views.verify, name="verify"),
    path("cong-khai/", review_views.public_disclosures, name="public-disclosures"),
    path("cong-khai/<int:pk>/", review_views.public_disclosure, name="public-disclosure"),
    path("guong-dien-hinh/", include("thidua.exemplars.urls")),
    path("bang-vang/", honour_roll, name="honour-roll"),
    path("tim-kiem/", search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": {"guong-dien-hinh": ExemplarSitemap}},
         name="django.contrib.sitemaps.views.sitemap"),
    path("ngon-ngu/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("quan-tri/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler400 = "thidua.core.views.bad_request"
handler403 = "thidua.core.views.permission_denied"
handler404 = "thidua.core.views.page_not_found"
handler500 = "thidua.core.views.server_error"
