"""API: decisions. Filled in by the decisions pages work."""

from ninja import Router

router = Router(tags=["decisions"])
