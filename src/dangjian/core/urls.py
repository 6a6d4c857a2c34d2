from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("inbox/read-all/", views.mark_all_read, name="mark_all_read"),
]

# At the site's root (the root URLconf adds it): browsers ask for /favicon.ico.
site_icon = path("favicon.ico", views.favicon, name="favicon")
