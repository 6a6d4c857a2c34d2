from django.urls import path

from . import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("branch/", views.branch, name="branch"),
    path("me/", views.member, name="member"),
    path("office/", views.office, name="office"),
    path("city/", views.city, name="city"),
    path("city/trend/", views.city_trend, name="city_trend"),
    path("city/screen/", views.city_screen, name="city_screen"),
]
