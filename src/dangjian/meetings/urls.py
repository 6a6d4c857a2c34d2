from . import views, views_calendar, views_projector, views_study

app_name = "meetings"
urlpatterns = [
    *views.urlpatterns,
    *views_calendar.urlpatterns,
    *views_projector.urlpatterns,
    *views_study.urlpatterns,
]
