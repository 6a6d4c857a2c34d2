from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("mine/", views.my_tasks, name="mine"),
    path("lists/new/", views.list_new, name="list_new"),
    path("lists/<int:pk>/", views.target_list, name="target_list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("<int:pk>/edit/", views.task_edit, name="edit"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("export/", views.export, name="export"),
]
