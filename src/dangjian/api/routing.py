"""Every operation documents the errors it can answer, decided in one place from what the
operation takes (SPEC.md §4b), so a new endpoint is documented without anyone thinking of
it:

- 401 and 403 where a caller must authenticate (no or a bad credential; a password that
  must be changed first, api.auth);
- 404 where it names a record: a path parameter, or an organisation (`org`);
- 422 where it takes any input (errors.InvalidInput).

An endpoint that answers 404 for another reason (a person named in the body) says so in
its own `response`; what it declares is kept."""

import pydantic
from ninja import Router
from ninja.constants import NOT_SET

from .errors import InvalidInput
from .schemas import Message

RECORD_NAMES = {"org"}


def _input_names(model) -> set[str]:
    """The names a caller writes for one of ninja's parameter models: query and path
    names, and the fields of a JSON body."""
    names = set(getattr(model, "__ninja_flatten_map__", {}))
    if model.__ninja_param_source__ == "body":
        for field in model.model_fields.values():
            if isinstance(field.annotation, type) and issubclass(
                field.annotation, pydantic.BaseModel
            ):
                names |= set(field.annotation.model_fields)
    return names


def documented_errors(operation) -> dict[int, type]:
    """The error responses `operation` can give, with the schema the server sends."""
    errors: dict[int, type] = {}
    if operation.auth_param is NOT_SET or operation.auth_param:
        errors[401] = errors[403] = Message
    sources = {model.__ninja_param_source__ for model in operation.models}
    names = set().union(*(_input_names(model) for model in operation.models))
    if "path" in sources or names & RECORD_NAMES:
        errors[404] = Message
    if operation.models:
        errors[422] = InvalidInput
    return errors


class ApiRouter(Router):
    """ninja's Router, documenting each operation's errors (documented_errors)."""

    def add_api_operation(self, path: str, methods: list[str], view_func, **kwargs) -> None:
        super().add_api_operation(path, methods, view_func, **kwargs)
        operation = self.path_operations[path].operations[-1]
        for status, schema in documented_errors(operation).items():
            if status not in operation.response_models:
                operation.response_models[status] = operation._create_response_model(schema)
