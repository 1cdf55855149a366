from django.urls import path

from thidua.movements import views

app_name = "movements"
urlpatterns = [
    path("", views.movement_list, name="list"),
    path("tao-moi/", views.movement_create, name="create"),
    path("phan-cong-theo-doi/", views.my_supervision, name="supervision"),
    path("<slug:slug>/", views.movement_detail, name="detail"),
    path("<slug:slug>/thiet-lap/", views.movement_setup, name="setup"),
    path("<slug:slug>/chuyen-trang-thai/", views.movement_move, name="move"),
    path("<slug:slug>/van-ban-ke-hoach/", views.plan_file, name="plan_file"),
    path("<slug:slug>/dang-ky/", views.register, name="register"),
    path("<slug:slug>/ke-hoach-don-vi/", views.unit_plan, name="unit_plan"),
    path("<slug:slug>/bao-cao/<int:period_pk>/", views.report, name="report"),
    path("<slug:slug>/cac-ban-dang-ky/", views.registrations, name="registrations"),
    path("<slug:slug>/cac-ban-dang-ky/<int:pk>/", views.registration_detail,
         name="registration"),
    path("<slug:slug>/ky-bao-cao/<int:pk>/", views.period, name="period"),
    path("<slug:slug>/tep/<str:kind>/<int:pk>/", views.unit_file, name="unit_file"),
    path("<slug:slug>/theo-doi/", views.dashboard, name="dashboard"),
]
