from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("mine/", views.mine, name="mine"),
    path("people/<int:pk>/", views.person_points, name="person"),
    path("rules/", views.rules_page, name="rules"),
    path("adjustments/", views.adjustments, name="adjustments"),
    path("adjustments/<int:pk>/", views.adjustment_action, name="adjustment_action"),
]
