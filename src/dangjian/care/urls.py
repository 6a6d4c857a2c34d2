from django.urls import path

from . import views, views_visits

app_name = "care"
urlpatterns = [
    path("", views.register, name="register"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("visits/", views_visits.visits, name="visits"),
    path("visits/new/", views_visits.visit_new, name="visit_new"),
    path("figures/", views_visits.figures, name="figures"),
    path("export/", views_visits.export, name="export"),
]
