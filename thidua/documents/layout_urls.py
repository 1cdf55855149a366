from django.urls import path

from thidua.documents import layout_views as views

app_name = "layouts"
urlpatterns = [
    path("", views.layout_list, name="list"),
    path("moi/", views.layout_edit, name="create"),
    path("<int:pk>/", views.layout_edit, name="edit"),
    path("<int:pk>/in-thu.pdf", views.layout_test_page, name="test-page"),
]
