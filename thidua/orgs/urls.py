from django.urls import path

from thidua.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.my_organisations, name="mine"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
]
