"""The JSON API under /api/v1/: the same scope rules as the pages (SPEC.md §4)."""

from django.http import Http404
from ninja import NinjaAPI, Swagger

from . import (
    assessment,
    brands,
    bulletins,
    city,
    cobuilding,
    decisions,
    development,
    dues,
    errors,
    honours,
    meetings,
    member_writes,  # noqa: F401 (its operations are on members.router)
    members,
    orgs,
    points,
    service,
    stats,
    tasks,
    tokens,
    transfers,
)  # fmt: skip
from .auth import API_AUTH
from .docs import docs_login


class DangjianAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """`meetings_list_meetings`, not ninja's `dangjian_api_meetings_list_meetings`:
        the names a client generated from the document gives its modules and functions."""
        module = operation.view_func.__module__.rsplit(".", 1)[-1]
        return f"{module}_{operation.view_func.__name__}"


api = DangjianAPI(
    title="dangjian API",
    version="1",
    description="智慧党建 API：令牌认证，按用户权限范围过滤。",
    urls_namespace="api",
    auth=API_AUTH,
    # No validator badge: it would send the document's address to validator.swagger.io
    # (and the Content-Security-Policy refuses the image anyway).
    docs=Swagger(settings={"validatorUrl": None}),
    parser=errors.JSONParser(),
    docs_decorator=docs_login,
)
api.add_router("", tokens.router)
api.add_router("", orgs.router)
api.add_router("", members.router)  # with member_writes' operations
api.add_router("", stats.router)
api.add_router("", development.router)
api.add_router("", meetings.router)
api.add_router("", dues.router)
api.add_router("", tasks.router)
api.add_router("", decisions.router)
api.add_router("", transfers.router)
api.add_router("", service.router)
api.add_router("", points.router)
api.add_router("", bulletins.router)
api.add_router("", honours.router)
api.add_router("", assessment.router)
api.add_router("", cobuilding.router)
api.add_router("", brands.router)
api.add_router("", city.router)
errors.install(api)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "不存在"}, status=404)
