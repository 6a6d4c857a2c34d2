from . import views, views_paperwork

app_name = "development"
urlpatterns = [
    *views.urlpatterns,
    *views_paperwork.urlpatterns,
]
