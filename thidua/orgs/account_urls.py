"""The account's own pages, under /tai-khoan/ (included by thidua/urls.py)."""

from django.urls import path

from thidua.orgs import account_views

urlpatterns = [
    path("", account_views.account, name="account"),
    path("xac-thuc/", account_views.verify, name="mfa-verify"),
    path("xac-thuc-hai-buoc/bat/", account_views.enrol, name="mfa-enrol"),
    path("xac-thuc-hai-buoc/ma-khoi-phuc/", account_views.recovery_codes, name="mfa-codes"),
    path("xac-thuc-hai-buoc/ma-khoi-phuc/tao-lai/", account_views.renew_codes,
         name="mfa-renew-codes"),
    path("xac-thuc-hai-buoc/tat/", account_views.disable, name="mfa-disable"),
]
