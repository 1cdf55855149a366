from django.urls import path

from thidua.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    # The fixed path first: "cong-khai" must not be read as a meeting kind.
    path("phong-trao/<slug:slug>/cong-khai/moi/", views.disclosure_create,
         name="disclosure-create"),
    path("phong-trao/<slug:slug>/<str:kind>/moi/", views.meeting_create, name="create"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/diem-danh/", views.attendance, name="attendance"),
    path("<int:pk>/khai-mac/", views.meeting_open, name="open"),
    path("<int:pk>/ket-thuc/", views.meeting_close, name="close"),
    path("<int:pk>/hoan/", views.meeting_adjourn, name="adjourn"),
    path("<int:pk>/doi-lich/", views.meeting_reschedule, name="reschedule"),
    path("<int:pk>/bien-ban/", views.minutes, name="minutes"),
    path("<int:pk>/muc/<int:item_pk>/ket-luan/", views.conclude, name="conclude"),
    path("<int:pk>/y-kien/<int:objection_pk>/", views.objection_handling, name="objection"),
    path("<int:pk>/muc/<int:item_pk>/bo-phieu/", views.vote, name="vote"),
    path("<int:pk>/muc/<int:item_pk>/bao-cao/<int:version_pk>/", views.item_paper, name="item-paper"),
    path("<int:pk>/muc/<int:item_pk>/phieu-van-ban/", views.written_vote, name="written-vote"),
    path("<int:pk>/muc/<int:item_pk>/khong-bieu-quyet/", views.recuse, name="recuse"),
]
