from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("bulletin/download/", views.bulletin_download, name="bulletin_download"),
    path("bulletin/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("scores/", views.scores_page, name="scores"),
]
