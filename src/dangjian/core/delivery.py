"""Beyond the inbox: `send_notice` hands the notices it wrote to the channels (e-mail,
企业微信 / 钉钉) through one router that a higher app registers at start-up
(`notices.apps`), the way the audit log asks `accounts.audit_people` for names. Core
knows no channel; without a router a notice reaches the inbox only."""

from collections.abc import Callable, Sequence

Router = Callable[[Sequence], None]
_router: Router | None = None


def register(router: Router) -> None:
    """Set the function that plans the deliveries of newly written notices."""
    global _router
    _router = router


def fan_out(notices: Sequence) -> None:
    """Called inside `send_notice`'s transaction, so a delivery is planned exactly when
    its notice is written."""
    if _router is not None and notices:
        _router(notices)
