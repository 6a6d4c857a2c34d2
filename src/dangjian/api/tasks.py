"""API: tasks. Filled in by the tasks pages work."""

from ninja import Router

router = Router(tags=["tasks"])
