from django.urls import path

from thidua.decisions import proposal_views as views

app_name = "proposals"
urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("phong-trao/<slug:slug>/moi/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/gui/", views.proposal_send, name="send"),
    path("<int:pk>/tra-lai/", views.proposal_return, name="return"),
    path("<int:pk>/quyet-dinh-cap-tren/", views.proposal_decided, name="decided"),
    path("<int:pk>/xoa/", views.proposal_delete, name="delete"),
    path("<int:pk>/tron-bo.zip", views.proposal_package, name="package"),
    path("<int:pk>/bo-sung/", views.proposal_supplement, name="supplement"),
    path("<int:pk>/bo-sung/<int:attachment>/", views.proposal_supplement_file,
         name="supplement-file"),
]
