"""Where an audited action came from, without threading it through every service.

A request's middleware puts the request in a context variable; `audit.record` reads the
client's address (through the trusted proxies, `core.pages.client_ip`) and the signed-in
user from it when the caller gave none. The `dangjian` command line and the background
jobs put a fixed source there instead ("命令行", "后台任务"), so an entry never lacks
its origin."""

import contextvars
from contextlib import contextmanager

COMMAND_LINE = "命令行"
BACKGROUND_JOB = "后台任务"

# A request, or a fixed source text; None outside all of them (tests, the shell).
_source: contextvars.ContextVar = contextvars.ContextVar("audit_source", default=None)


@contextmanager
def acting_from(source):
    """Everything audited inside comes from `source` (a request or a fixed text)."""
    token = _source.set(source)
    try:
        yield
    finally:
        _source.reset(token)


def set_source(source) -> contextvars.Token:
    return _source.set(source)


def reset_source(token: contextvars.Token) -> None:
    _source.reset(token)


def current_address() -> str:
    source = _source.get()
    if source is None:
        return ""
    if isinstance(source, str):
        return source
    from .pages import client_ip

    return client_ip(source)[:64]


def current_user():
    """The request's signed-in user (a bearer token's too: the API sets request.user),
    else None."""
    source = _source.get()
    user = getattr(source, "user", None) if source is not None else None
    return user if getattr(user, "is_authenticated", False) else None


class AuditSourceMiddleware:
    """Placed after the authentication middleware: the request is the source of every
    entry written while it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_from(request):
            return self.get_response(request)


def mark_jobs(huey) -> None:
    """Every job huey runs is the source of what it audits ("后台任务"), also when the
    tests run jobs at once inside a request (immediate mode): the request's source comes
    back after the job."""
    tokens: dict[str, contextvars.Token] = {}

    @huey.pre_execute(name="audit_source")
    def _job_starts(task):
        tokens[task.id] = _source.set(BACKGROUND_JOB)

    @huey.post_execute(name="audit_source")
    def _job_ends(task, task_value, exc):
        token = tokens.pop(task.id, None)
        if token is not None:
            _source.reset(token)
