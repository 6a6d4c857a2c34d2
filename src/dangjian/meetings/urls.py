from . import views, views_calendar

app_name = "meetings"
urlpatterns = [
    *views.urlpatterns,
    *views_calendar.urlpatterns,
]
