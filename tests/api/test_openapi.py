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


def test_the_token_endpoint_is_documented_with_the_token_it_returns(client, settings):
    settings.DANGJIAN_API_DOCS_LOGIN = False  # the document is public here
    doc = client.get("/api/v1/openapi.json").json()
    ok = doc["paths"]["/api/v1/auth/token"]["post"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(doc["components"]["schemas"][ref]["properties"]) == {"token"}
    check_in = doc["paths"]["/api/v1/meetings/{meeting_id}/check-in-token"]["get"]["responses"]
    ref = check_in["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"meeting_id", "opens_at", "expires_at"} <= set(
        doc["components"]["schemas"][ref]["properties"]
    )


def _document(client, settings) -> dict:
    settings.DANGJIAN_API_DOCS_LOGIN = False
    return client.get("/api/v1/openapi.json").json()


def _schema_name(response: dict) -> str:
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def _operations(doc):
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_the_errors_it_can_answer(client, settings):
    doc = _document(client, settings)
    for label, operation in _operations(doc):
        responses = operation["responses"]
        params = {p["name"] for p in operation.get("parameters", [])}
        has_path = any(p["in"] == "path" for p in operation.get("parameters", []))
        if operation.get("security"):
            assert _schema_name(responses["401"]) == "Message", label
            assert _schema_name(responses["403"]) == "Message", label
        if has_path or "org" in params:
            assert _schema_name(responses["404"]) == "Message", label
        if operation.get("parameters") or operation.get("requestBody"):
            assert _schema_name(responses["422"]) == "InvalidInput", label
    token = doc["paths"]["/api/v1/auth/token"]["post"]
    assert "security" not in token and {"200", "401", "422"} <= token["responses"].keys()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/meetings"),  # the body names an organisation
        ("post", "/api/v1/study"),  # … a person
        ("post", "/api/v1/dues/payments"),
        ("post", "/api/v1/check-in"),  # a meeting of another hospital
    ],
)
def test_a_body_naming_a_record_documents_404(client, settings, method, path):
    responses = _document(client, settings)["paths"][path][method]["responses"]
    assert _schema_name(responses["404"]) == "Message"


def test_the_422_shape_is_a_component(client, settings):
    schemas = _document(client, settings)["components"]["schemas"]
    assert set(schemas["InvalidInput"]["properties"]) == {"detail", "reasons", "errors"}
    assert set(schemas["FieldError"]["properties"]) == {"loc", "field", "type", "msg"}
