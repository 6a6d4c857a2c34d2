from django.urls import path

from . import views

app_name = "brands"
urlpatterns = [
    path("", views.brand_list, name="list"),
    path("new/", views.brand_new, name="new"),
    path("<int:pk>/", views.brand_detail, name="detail"),
    path("<int:pk>/edit/", views.brand_edit, name="edit"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("logos/<int:pk>/", views.logo, name="logo"),
]
