from django.urls import path

from thidua.exemplars import views
from thidua.exemplars.feeds import NewExemplarsFeed

app_name = "exemplars"
urlpatterns = [
    path("", views.public_list, name="public-list"),
    path("<int:pk>/", views.public_detail, name="public-detail"),
    path("anh/<int:pk>/", views.photo, name="photo"),
    path("atom.xml", NewExemplarsFeed(), name="feed"),
    path("de-xuat/", views.suggest, name="suggest"),
    path("de-xuat/da-gui/", views.suggest_done, name="suggest-done"),
    path("quan-ly/", views.manage_list, name="manage"),
    path("quan-ly/them/", views.new, name="new"),
    path("quan-ly/<int:pk>/", views.manage_detail, name="manage-detail"),
    path("quan-ly/<int:pk>/sua/", views.edit, name="edit"),
    path("quan-ly/<int:pk>/anh/", views.add_photo, name="add-photo"),
    path("quan-ly/<int:pk>/anh/<int:photo_pk>/xoa/", views.remove_photo, name="remove-photo"),
    path("quan-ly/<int:pk>/dong-y/", views.consent, name="consent"),
    path("quan-ly/<int:pk>/rut-dong-y/", views.withdraw_consent, name="withdraw-consent"),
    path("quan-ly/<int:pk>/de-nghi/", views.nominate, name="nominate"),
    path("quan-ly/<int:pk>/<slug:step>/", views.move, name="move"),
    path("quan-ly/de-xuat/", views.suggestion_queue, name="suggestions"),
    path("quan-ly/de-xuat/<int:pk>/", views.suggestion_detail, name="suggestion"),
]
