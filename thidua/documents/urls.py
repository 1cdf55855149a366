from django.urls import path

from thidua.documents import views

app_name = "documents"
urlpatterns = [
    path("<slug:kind>/<int:pk>.<str:fmt>", views.document_file, name="file"),
    path("<slug:kind>/<int:pk>/ban-da-ky/", views.signed_copy, name="signed"),
]
