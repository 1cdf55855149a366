from django.urls import path

from thidua.decisions import unit_views, views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("phong-trao/<slug:slug>/moi/", views.decision_create, name="create"),
    path("don-vi/ho-so/<int:dossier_pk>/moi/", unit_views.unit_decision_create, name="create-unit"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/ban-hanh/", views.decision_issue, name="issue"),
    path("<int:pk>/sua-doi/", views.decision_amend, name="amend"),
    path("<int:pk>/xoa/", views.decision_delete, name="delete"),
    path("<int:pk>/tron-bo.zip", views.decision_package, name="package"),
    path("<int:pk>/giay-khen.pdf", views.decision_certificates, name="certificates"),
    path("<int:pk>/in-giay-khen/", views.certificate_batch_start, name="certificate-batch-start"),
    path("<int:pk>/in-giay-khen/gan-day/", views.certificate_batch_list, name="certificate-batches"),
    path("<int:pk>/in-giay-khen/<int:batch>/", views.certificate_batch, name="certificate-batch"),
    path("<int:pk>/in-giay-khen/<int:batch>/thu-lai/", views.certificate_batch_retry,
         name="certificate-batch-retry"),
    path("<int:pk>/in-giay-khen/<int:batch>/giay-khen.pdf", views.certificate_batch_file,
         name="certificate-batch-file"),
]
