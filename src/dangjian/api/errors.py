"""Input the API cannot read answers 422 in Chinese, in one shape (SPEC.md §4b):

    {"detail": "held_on：日期须写成 “YYYY-MM-DD” 格式的字符串；person_id：必填",
     "reasons": ["held_on：日期须写成 “YYYY-MM-DD” 格式的字符串", "person_id：必填"],
     "errors": [{"loc": ["body", "payload", "held_on"], "field": "held_on",
                 "type": "value_error", "msg": "日期须写成 “YYYY-MM-DD” 格式的字符串"}, …]}

`detail` and `reasons` read like a 400 `Refusal`; `errors` keep each field's location (as
ninja gives it: where it came from, then the path inside) and pydantic's error type for
programs. A body that is not JSON at all is one such error (type `json_invalid`), as
FastAPI answers it. A missing or bad credential answers 401 in Chinese."""

from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser


class FieldError(Schema):
    loc: list[str | int]  # e.g. ["body", "payload", "held_on"], ["query", "year"]
    field: str  # the part of `loc` a person reads: "held_on", "months.0", "year"
    type: str  # pydantic's error type: "missing", "int_parsing", "json_invalid", …
    msg: str


class InvalidInput(Schema):
    """The request could not be read (422): every field at fault, in Chinese."""

    detail: str
    reasons: list[str]
    errors: list[FieldError]


def _messages() -> dict[str, str]:
    """Chinese text per pydantic error type; `{…}` are filled from the error's context."""
    return {
        "missing": _("必填"),
        "extra_forbidden": _("不允许的字段"),
        "json_invalid": _("不是有效的 JSON"),
        "int_type": _("须为整数"),
        "int_parsing": _("须为整数"),
        "int_from_float": _("须为整数"),
        "int_parsing_size": _("数值太大"),
        "float_type": _("须为数字"),
        "float_parsing": _("须为数字"),
        "decimal_type": _("须为数字"),
        "decimal_parsing": _("须为数字"),
        "finite_number": _("须为有限的数字"),
        "decimal_max_digits": _("数字不能超过 {max_digits} 位"),
        "decimal_max_places": _("小数不能超过 {decimal_places} 位"),
        "decimal_whole_digits": _("整数部分不能超过 {whole_digits} 位"),
        "bool_type": _("须为 true 或 false"),
        "bool_parsing": _("须为 true 或 false"),
        "string_type": _("须为文本"),
        "string_too_short": _("至少 {min_length} 个字"),
        "string_too_long": _("不能超过 {max_length} 个字"),
        "string_pattern_mismatch": _("格式不正确"),
        "too_short": _("至少 {min_length} 项"),
        "too_long": _("不能超过 {max_length} 项"),
        "greater_than": _("须大于 {gt}"),
        "greater_than_equal": _("须不小于 {ge}"),
        "less_than": _("须小于 {lt}"),
        "less_than_equal": _("须不大于 {le}"),
        "date_type": _("日期须写成 “YYYY-MM-DD” 格式的字符串"),
        "date_parsing": _("日期须写成 “YYYY-MM-DD” 格式的字符串"),
        "date_from_datetime_parsing": _("日期须写成 “YYYY-MM-DD” 格式的字符串"),
        "date_from_datetime_inexact": _("日期须写成 “YYYY-MM-DD” 格式的字符串"),
        "datetime_type": _("时间须写成 ISO 8601 格式，如 “2024-03-01T09:00:00+08:00”"),
        "datetime_parsing": _("时间须写成 ISO 8601 格式，如 “2024-03-01T09:00:00+08:00”"),
        "datetime_from_date_parsing": _("时间须写成 ISO 8601 格式，如 “2024-03-01T09:00:00+08:00”"),
        "enum": _("须为以下之一：{expected}"),
        "literal_error": _("须为以下之一：{expected}"),
        "list_type": _("须为列表"),
        "dict_type": _("须为对象"),
        "model_type": _("须为对象"),
        "model_attributes_type": _("须为对象"),
        "none_required": _("须为空"),
        "string_nul": _("不能含有空字符（\\u0000）"),
    }


def _chinese(error: dict) -> str:
    ctx = error.get("ctx") or {}
    if error["type"] in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])  # our own validators speak Chinese already (schemas.Day)
    template = _messages().get(error["type"], _("格式不正确"))
    if isinstance(ctx.get("expected"), str):  # pydantic's "'a', 'b' or 'c'"
        ctx = {**ctx, "expected": ctx["expected"].replace(" or ", "、").replace(", ", "、")}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("{", 1)[0].rstrip("：: ") or _("格式不正确")


def _field(loc: tuple) -> str:
    """`loc` without where it came from ("body", "query", …) and, for a body, without
    the name of the view's parameter that holds it: the name the caller wrote."""
    source, *rest = loc
    if source == "body":
        rest = rest[1:]
    return ".".join(str(part) for part in rest) or _("请求内容")


def invalid_input(errors: list[dict]) -> dict:
    """The 422 body for ninja's validation errors (`ValidationError.errors`)."""
    rows = []
    for error in errors:
        loc = tuple(error.get("loc") or ("body",))
        rows.append(
            {
                "loc": list(loc),
                "field": error.get("field") or _field(loc),
                "type": error["type"],
                "msg": _chinese(error),
            }
        )
    reasons = [f"{row['field']}：{row['msg']}" for row in rows]
    return {"detail": "；".join(reasons), "reasons": reasons, "errors": rows}


class BodyNotJSON(ValueError):
    """The request body could not be parsed (ninja turns any parser error into a 400)."""


class BodyHasNul(ValueError):
    def __init__(self, paths: list[tuple]):
        super().__init__(paths)
        self.paths = paths


def _nul_paths(value, path: tuple = ()) -> list[tuple]:
    """Where a NUL character hides in decoded JSON: PostgreSQL cannot store one (a 500)."""
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if not isinstance(value, dict | list):
        return []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    return [found for key, item in items for found in _nul_paths(item, (*path, key))]


class JSONParser(Parser):
    """ninja's parser, refusing what the database could not take: a NUL character in a
    text of the body, the query string or a form."""

    def parse_body(self, request):
        try:
            data = super().parse_body(request)
        except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, too deep
            raise BodyNotJSON(str(exc)) from exc
        if paths := _nul_paths(data):
            raise BodyHasNul(paths)
        return data

    def parse_querydict(self, data, list_fields, request):
        source = "query" if data is request.GET else "form"
        errors = [
            {"loc": (source, key), "type": "string_nul"}
            for key, values in data.lists()
            if any("\x00" in value for value in values)
        ]
        if errors:
            raise ValidationError(errors)
        return super().parse_querydict(data, list_fields, request)


def install(api) -> None:
    """Chinese answers for what ninja would answer in English."""

    @api.exception_handler(ValidationError)
    def _invalid(request, exc: ValidationError):
        return api.create_response(request, invalid_input(exc.errors), status=422)

    @api.exception_handler(AuthenticationError)
    def _unauthorized(request, exc):
        return api.create_response(
            request, {"detail": _("未登录，或令牌无效、已过期、已撤销")}, status=401
        )

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, BodyNotJSON):
            error = {"loc": ("body",), "type": "json_invalid"}
            return api.create_response(request, invalid_input([error]), status=422)
        if isinstance(exc.__cause__, BodyHasNul):
            errors = [
                {"loc": ("body", *path), "type": "string_nul",
                 "field": ".".join(map(str, path)) or _("请求内容")}
                for path in exc.__cause__.paths
            ]  # fmt: skip
            return api.create_response(request, invalid_input(errors), status=422)
        if exc.message == "CSRF check Failed":  # ninja's session auth, in English
            exc = HttpError(403, _("CSRF 校验失败：请刷新页面后重试"))
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
