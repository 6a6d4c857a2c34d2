from django.urls import path

from . import views, views_member_file

app_name = "roster"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("template/", views.template, name="template"),
    path("export/<str:code>/", views.export, name="export"),
    path("members/<int:pk>/", views_member_file.member_file_page, name="member_file"),
]
