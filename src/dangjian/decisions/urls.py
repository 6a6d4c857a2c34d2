from django.urls import path

from . import views, views_meetings

app_name = "decisions"
urlpatterns = [
    path("", views.register, name="register"),
    path("matters/new/", views.matter_new, name="matter_new"),
    path("matters/<int:pk>/", views.matter, name="matter"),
    path("meetings/", views_meetings.meeting_list, name="meetings"),
    path("meetings/new/", views_meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views_meetings.meeting, name="meeting"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("settings/", views.settings_page, name="settings"),
    path("export/", views.export, name="export"),
]
