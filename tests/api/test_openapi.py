"""The OpenAPI document describes what the server sends: every schema the API uses has a
name of its own (two schemas named alike overwrote each other, so `POST /auth/token` was
documented with a meeting's check-in token; issue 14)."""

import pydantic
import pytest

from dangjian.api.urls import api

pytestmark = pytest.mark.django_db


def _models(annotation, found: set):
    """The pydantic models an annotation names, nested ones included."""
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
    for arg in getattr(annotation, "__args__", ()) or ():
        _models(arg, found)


def test_every_schema_the_api_uses_has_a_name_of_its_own():
    found: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    _models(model, found)
                for model in operation.models:
                    _models(model, found)
    # ninja's own wrappers (NinjaResponseSchema, QueryParams, BodyParams…) are not
    # components of the document; what they hold is.
    names = [
        m.__name__
        for m in found
        if not m.__name__.endswith("Params") and m.__name__ != "NinjaResponseSchema"
    ]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_the_token_endpoint_is_documented_with_the_token_it_returns(client):
    doc = client.get("/api/v1/openapi.json").json()
    ok = doc["paths"]["/api/v1/auth/token"]["post"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(doc["components"]["schemas"][ref]["properties"]) == {"token"}
    check_in = doc["paths"]["/api/v1/meetings/{meeting_id}/check-in-token"]["get"]["responses"]
    ref = check_in["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"meeting_id", "opens_at", "expires_at"} <= set(
        doc["components"]["schemas"][ref]["properties"]
    )
