"""Organisational life endpoints (meetings, attendance, check-in)."""

from ninja import Router

router = Router(tags=["meetings"])
