"""Small helpers every page module shares: the client's address for the audit log,
responses that must never be cached, bounded numbers from the query string, and audited
file downloads. (Which organisation or person a page is about: `orgs.pages`,
`people.pages`.)"""

from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when the request came through a proxy named
    in DANGJIAN_TRUSTED_PROXIES, the nearest address in X-Forwarded-For that is not one of
    those proxies (what a client writes there itself is never believed)."""
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or ""
    trusted = set(getattr(settings, "DANGJIAN_TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if address not in trusted:
            return address
    return remote


def private(response):
    """Personal data: never kept in a shared or browser cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


MIN_YEAR, MAX_YEAR = 2000, 2100


def bounded_int(value, default: int, low: int, high: int) -> int:
    """A whole number from a query parameter within [low, high]; else the default."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


def year_param(request, default: int) -> int:
    """`?year=` within the years any page shows; else the default."""
    return bounded_int(request.GET.get("year"), default, MIN_YEAR, MAX_YEAR)


def audit_read(request, action: str, *, obj=None, org_path: str = "", summary=None) -> None:
    """A read of personal data: one audit entry per request, list reads included (PIPL;
    等保 level 3). `summary` says what was asked for (the organisation, the filters)."""
    from dangjian.core import audit

    audit.record(
        action, actor=request.user, obj=obj, org_path=org_path, summary=summary or {},
        ip_address=client_ip(request),
    )  # fmt: skip


def audited_download(request, stored, *, action: str, obj, org_path: str, summary: dict):
    """A stored file as an attachment, never cached, its reading written to the audit
    log; 404 when the file is gone. The caller has already checked the scope."""
    from django.http import FileResponse

    from dangjian.core import audit

    try:
        handle = stored.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("文件不存在")) from missing
    audit.record(
        action, actor=request.user, obj=obj, org_path=org_path,
        summary={**summary, "file": stored.original_name}, ip_address=client_ip(request),
    )  # fmt: skip
    return private(FileResponse(handle, as_attachment=True, filename=stored.original_name))


def try_service(form, run, refusal: type[Exception]) -> bool:
    """Run a service for a valid form, in one transaction; a refusal (an exception of
    type `refusal` carrying Chinese `reasons`) becomes the form's errors, nothing written."""
    from django.db import transaction

    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            run(form.cleaned_data)
    except refusal as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return False
    return True
