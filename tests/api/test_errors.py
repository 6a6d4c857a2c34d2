"""Input the API cannot read answers 422 in Chinese, one message per field with the
field's location, in one shape (api.errors.InvalidInput); a body that is not JSON is one
such answer; a missing credential answers 401 in Chinese (SPEC.md §4b, issue 14)."""

import datetime as dt
import enum
from decimal import Decimal
from typing import Annotated, Literal

import pydantic
import pytest
from django.test import Client
from pydantic import ConfigDict, Field

from dangjian.accounts.models import Role
from dangjian.api.errors import InvalidInput, invalid_input
from dangjian.meetings import services
from dangjian.meetings.rules import MeetingKind
from tests.factories import api_auth

pytestmark = pytest.mark.django_db


class Colour(enum.Enum):
    RED = "red"


class Sample(pydantic.BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = 0
    ratio: float = 0
    amount: Decimal = Decimal(0)
    flag: bool = False
    text: Annotated[str, Field(min_length=2, max_length=3)] = "ab"
    items: Annotated[list[int], Field(min_length=1, max_length=2)] = [1]
    score: Annotated[int, Field(ge=1, le=5)] = 1
    day: dt.date = dt.date(2024, 1, 1)
    moment: dt.datetime = dt.datetime(2024, 1, 1)
    colour: Colour = Colour.RED
    kind: Literal["a", "b"] = "a"
    required: str


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (None, "required", "必填"),
        ({"number": "x"}, "number", "须为整数"),
        ({"number": 1.5}, "number", "须为整数"),
        ({"ratio": "x"}, "ratio", "须为数字"),
        ({"amount": "x"}, "amount", "须为数字"),
        ({"flag": "x"}, "flag", "须为 true 或 false"),
        ({"text": 5}, "text", "须为文本"),
        ({"text": "a"}, "text", "至少 2 个字"),
        ({"text": "abcd"}, "text", "不能超过 3 个字"),
        ({"items": []}, "items", "至少 1 项"),
        ({"items": [1, 2, 3]}, "items", "不能超过 2 项"),
        ({"items": "x"}, "items", "须为列表"),
        ({"items": ["x"]}, "items.0", "须为整数"),
        ({"score": 0}, "score", "须不小于 1"),
        ({"score": 6}, "score", "须不大于 5"),
        ({"day": "2024-02-30"}, "day", "日期须写成 “YYYY-MM-DD” 格式的字符串"),
        ({"moment": "tomorrow"}, "moment", "时间须写成 ISO 8601 格式"),
        ({"colour": "blue"}, "colour", "须为以下之一：'red'"),
        ({"kind": "c"}, "kind", "须为以下之一：'a'、'b'"),
        ({"extra": 1}, "extra", "不允许的字段"),
    ],
)
def test_each_kind_of_error_reads_in_chinese_at_its_field(data, field, message):
    try:
        Sample(**({} if data is None else {"required": "x", **data}))
    except pydantic.ValidationError as exc:
        errors = [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]
    body = invalid_input(errors)
    InvalidInput.model_validate(body)
    assert [row["field"] for row in body["errors"]] == [field]
    assert message in body["errors"][0]["msg"]
    assert body["reasons"] == [f"{field}：{body['errors'][0]['msg']}"]
    assert body["detail"] == "；".join(body["reasons"])


def _held(client, world, payload, **headers):
    meeting = services.plan_meeting(
        world.ha_b1, kind=MeetingKind.GENERAL_ASSEMBLY, topic="学习党章", planned_on=dt.date.today()
    )
    return client.post(
        f"/api/v1/meetings/{meeting.pk}/held", payload, content_type="application/json", **headers
    )


def test_a_bad_body_answers_422_with_each_field_and_its_location(client, world):
    headers = api_auth(client, world.user(Role.OFFICE))
    response = _held(client, world, {"held_on": "2024-13-01", "tally": {"yes": "多"}}, **headers)
    assert response.status_code == 422
    body = response.json()
    InvalidInput.model_validate(body)
    rows = {row["field"]: row for row in body["errors"]}
    assert rows["held_on"]["loc"] == ["body", "payload", "held_on"]
    assert rows["held_on"]["msg"] == "日期须写成 “YYYY-MM-DD” 格式的字符串"
    assert rows["tally.yes"]["msg"] == "须为整数"
    assert rows["tally.no"]["msg"] == "必填"
    assert "held_on：日期须写成" in body["detail"]


@pytest.mark.parametrize(
    "raw",
    ['{"username": "a", ', "not json", b"\xff\xfe", "[" * 100_000],
    ids=["cut short", "text", "not utf-8", "nested too deep"],
)
def test_a_body_that_is_not_json_answers_422_in_the_same_shape(client, db, raw):
    response = client.post("/api/v1/auth/token", raw, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    InvalidInput.model_validate(body)
    assert body["errors"] == [
        {"loc": ["body"], "field": "请求内容", "type": "json_invalid", "msg": "不是有效的 JSON"}
    ]
    assert body["detail"] == "请求内容：不是有效的 JSON"


def test_a_missing_body_is_named_as_the_request_body(client, db):
    response = client.post("/api/v1/auth/token", "", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0] | {"loc": None} == {
        "loc": None, "field": "请求内容", "type": "missing", "msg": "必填"
    }  # fmt: skip


def test_bad_query_and_path_values_answer_422_at_their_place(client, world):
    headers = api_auth(client, world.user(Role.OFFICE))
    page = client.get("/api/v1/members?page=0", **headers).json()
    assert page["errors"][0] | {"type": None} == {
        "loc": ["query", "page"], "field": "page", "type": None, "msg": "须不小于 1"
    }  # fmt: skip
    path = client.get("/api/v1/members/abc", **headers)
    assert path.status_code == 422
    assert path.json()["errors"][0]["loc"] == ["path", "member_id"]
    assert path.json()["detail"] == "member_id：须为整数"


def test_no_credential_answers_401_in_chinese(client, db):
    response = client.get("/api/v1/members")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录，或令牌无效、已过期、已撤销"}


def test_a_session_write_without_the_csrf_token_is_refused_in_chinese(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user(Role.OFFICE))
    response = browser.post("/api/v1/study", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "CSRF 校验失败：请刷新页面后重试"}
