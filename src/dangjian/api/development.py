"""Development pipeline endpoints (list, person timeline, record step)."""

from ninja import Router

router = Router(tags=["development"])
