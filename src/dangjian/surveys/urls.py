from django.urls import path

from . import views, views_member

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("mine/", views_member.my_surveys, name="mine"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/answer/", views_member.answer, name="answer"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/export/", views.survey_export, name="export"),
]
