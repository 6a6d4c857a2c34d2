"""The project's 400 and 500 handlers (`handler400`, `handler500` in the root URLconf):
a storage fault (core.faults) answers 503 with its Chinese sentence, as a page or, under
/api/, as JSON; anything else gets the usual page. The failed service's transaction has
rolled back by now, and Django logs the original error (logger django.request or
django.security) as it answers."""

import sys

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from .faults import storage_fault

API_PREFIX = "/api/"


def server_error(request):
    message = storage_fault(sys.exc_info()[1])
    if message is None:
        return defaults.server_error(request)
    return _storage_fault_response(request, message)


def bad_request(request, exception):
    """A session that cannot be saved (a read-only database) surfaces as Django's
    SessionInterrupted, a 400: the storage fault under it is the real answer."""
    message = storage_fault(exception)
    if message is None:
        return defaults.bad_request(request, exception)
    return _storage_fault_response(request, message)


def _storage_fault_response(request, message: str) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"detail": message}, status=503)
    # Rendered without the request: its context processors would read the database.
    page = loader.get_template("core/storage_fault.html").render({"message": message})
    return HttpResponse(page, status=503)
