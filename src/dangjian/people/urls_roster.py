from django.urls import path

from . import views_roster

app_name = "roster"
urlpatterns = [
    path("", views_roster.upload, name="upload"),
    path("confirm/", views_roster.confirm, name="confirm"),
    path("export/<str:code>/", views_roster.export, name="export"),
]
