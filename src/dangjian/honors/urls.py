from django.urls import path

from . import views, views_rounds

app_name = "honors"
urlpatterns = [
    path("", views.honours, name="list"),
    path("new/", views.record, name="record"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("rounds/", views_rounds.round_list, name="rounds"),
    path("rounds/new/", views_rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", views_rounds.round_detail, name="round"),
    path("materials/<int:pk>/", views_rounds.material, name="material"),
]
