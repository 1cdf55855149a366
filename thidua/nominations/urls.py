from django.urls import path

from thidua.nominations import views

app_name = "nominations"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("tiep-nhan/", views.queue, name="queue"),
    path("phong-trao/<slug:slug>/tao-moi/", views.dossier_create, name="create"),
    path("phong-trao/<slug:slug>/mau-danh-sach.xlsx", views.excel_template, name="template"),
    path("<int:pk>/", views.dossier_detail, name="detail"),
    path("<int:pk>/sua/", views.dossier_edit, name="edit"),
    path("<int:pk>/them-nguoi/", views.nominee_add, name="nominee-add"),
    path("<int:pk>/nguoi/<int:nominee_pk>/", views.nominee_detail, name="nominee"),
    path("<int:pk>/nguoi/<int:nominee_pk>/sua/", views.nominee_edit, name="nominee-edit"),
    path("<int:pk>/nguoi/<int:nominee_pk>/xoa/", views.nominee_remove, name="nominee-remove"),
    path("<int:pk>/nguoi/<int:nominee_pk>/khong-trung/", views.nominee_not_duplicate,
         name="nominee-not-duplicate"),
    path("<int:pk>/nguoi/<int:nominee_pk>/lien-ket/", views.nominee_link, name="nominee-link"),
    path("<int:pk>/nhap-excel/", views.excel_import, name="import"),
    path("<int:pk>/nhap-excel/loi.xlsx", views.excel_errors, name="import-errors"),
    path("<int:pk>/danh-sach.xlsx", views.excel_export, name="export"),
    path("<int:pk>/ho-so.zip", views.dossier_package, name="package"),
    path("<int:pk>/tai-lieu/", views.attachment_upload, name="upload"),
    path("<int:pk>/tai-nhieu/", views.bulk_documents, name="bulk-documents"),
    path("<int:pk>/tep/<int:version_pk>/", views.attachment_download, name="download"),
    path("<int:pk>/trinh/", views.dossier_submit, name="submit"),
    path("<int:pk>/rut/", views.dossier_withdraw, name="withdraw"),
    path("<int:pk>/kiem-tra/danh-dau/", views.review_mark, name="mark"),
    path("<int:pk>/kiem-tra/tiep-nhan/", views.review_accept, name="accept"),
    path("<int:pk>/kiem-tra/tra-lai/", views.review_return, name="return"),
    path("<int:pk>/so-sanh/<int:round_no>/", views.dossier_diff, name="diff"),
    path("<int:pk>/chuyen-hoi-dong/", views.dossier_forward, name="forward"),
]

register_patterns = [
    path("", views.register, name="search"),
    path("nhap/", views.register_import, name="import"),
]
