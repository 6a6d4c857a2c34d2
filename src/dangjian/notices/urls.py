from django.urls import path

from . import views, views_channels

app_name = "notices"

urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.announcement_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/receipts/", views.receipts, name="receipts"),
    path("<int:pk>/manage/", views.manage, name="manage"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("preferences/", views_channels.preferences, name="preferences"),
    path("robots/", views_channels.robots, name="robots"),
    path("robots/<int:pk>/", views_channels.robot_action, name="robot_action"),
    path("deliveries/", views_channels.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/retry/", views_channels.retry, name="retry"),
]
