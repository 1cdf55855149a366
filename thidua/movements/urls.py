from django.urls import path

from thidua.movements import views

app_name = "movements"
urlpatterns = [
    path("", views.movement_list, name="list"),
    path("<slug:slug>/", views.movement_detail, name="detail"),
]
