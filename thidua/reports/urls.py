from django.urls import path

from thidua.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bieu-mau/", views.statutory_forms, name="statutory"),
    path("bieu-mau/<str:number>.xlsx", views.statutory_form, name="statutory-form"),
    path("bang/<slug:key>.xlsx", views.table_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("bang/<slug:key>.csv", views.table_export, {"fmt": "csv"}, name="export-csv"),
    path("tong-ket/<slug:slug>/", views.summary_reports, name="summaries"),
    path("tong-ket/<slug:slug>/<int:pk>/", views.summary_report, name="summary"),
    path("tong-ket/<slug:slug>/<int:pk>/thu-lai/", views.summary_report_retry,
         name="summary-retry"),
    path("tong-ket/<slug:slug>/<int:pk>/bao-cao-tong-ket.docx", views.summary_report_file,
         name="summary-file"),
    path("<slug:board>/", views.dashboard, name="board"),
]
