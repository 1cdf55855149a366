from django.urls import path

from thidua.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("phong-trao/<slug:slug>/moi/", views.decision_create, name="create"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/ban-hanh/", views.decision_issue, name="issue"),
    path("<int:pk>/xoa/", views.decision_delete, name="delete"),
    path("<int:pk>/tron-bo.zip", views.decision_package, name="package"),
    path("<int:pk>/giay-khen.pdf", views.decision_certificates, name="certificates"),
]
