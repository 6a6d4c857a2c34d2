"""Development pages: pipeline board, person timeline, step recording, due list."""

from django.urls import path

urlpatterns = [
    path("", lambda request: None, name="board"),  # placeholder: replaced by the pages helper
]
