from django.urls import path

from thidua.documents import views

app_name = "documents"
urlpatterns = [
    path("<slug:kind>/<int:pk>.<str:fmt>", views.document_file, name="file"),
    path("<slug:kind>/<int:pk>/dang-tao/<int:job>/", views.render_job, name="job"),
    path("<slug:kind>/<int:pk>/dang-tao/<int:job>/thu-lai/", views.render_job_retry,
         name="job-retry"),
    path("<slug:kind>/<int:pk>/ban-da-ky/", views.signed_copy, name="signed"),
]
