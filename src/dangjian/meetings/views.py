"""Meeting pages: list, plan, detail with attendance, QR check-in, minutes, attachments."""

from django.urls import path
from django.views.generic import RedirectView

urlpatterns = [
    # Placeholder until the pages land; the navigation links here.
    path("", RedirectView.as_view(pattern_name="dashboard:home"), name="list"),
]
