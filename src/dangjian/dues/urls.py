from django.urls import path

from . import views, views_more

app_name = "dues"
urlpatterns = [
    path("", views.month_page, name="month"),
    path("calc/", views.calc, name="calc"),
    path("mine/", views.mine, name="mine"),
    path("arrears/", views.arrears_page, name="arrears"),
    path("export/", views.export, name="export"),
    path("settings/", views.settings_page, name="settings"),
    path("person/<int:pk>/pay/", views.pay, name="pay"),
    path("person/<int:pk>/base/", views.base_page, name="base"),
    *views_more.urlpatterns,
]
