from django.urls import path

from . import views

app_name = "honors"
urlpatterns = [
    path("", views.honours, name="list"),
    path("new/", views.record, name="record"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
]
