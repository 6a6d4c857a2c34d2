import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field

from dangjian.core.masking import mask_id_number

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def _iso_day(value):
    """A date sent as "YYYY-MM-DD" (or already a date): a number such as 0 is not read as
    seconds since 1970."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError("日期须写成 “YYYY-MM-DD” 格式的字符串")


def _sensible(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"日期须在 {FIRST_DAY} 至 {LAST_DAY} 之间")
    return day


# Every date the API takes: ISO text only, within the years the product keeps.
Day = Annotated[dt.date, BeforeValidator(_iso_day), AfterValidator(_sensible)]


def _iso_moment(value):
    """A time sent as ISO 8601 text; one without an offset is the hospital's local time
    (TIME_ZONE), as on the pages, never a naive value the database would warn about."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime):
        raise ValueError("时间须写成 “YYYY-MM-DDTHH:MM[:SS][+08:00]” 格式的字符串")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    _sensible(timezone.localtime(value).date())
    return value


# Every date-and-time the API takes: ISO text, local time unless an offset is given,
# within the same years as Day.
Moment = Annotated[dt.datetime, BeforeValidator(_iso_moment)]

# Every record id the API takes (path or body): one the database can hold; a larger
# number overflowed SQLite's integer (a 500; schemathesis, issue 14).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# An organisation code in a path: as long as the register keeps, no NUL character (which
# PostgreSQL cannot take in a query: a 500 there, issue 14).
OrgCode = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[^\x00]+$")]


class Refusal(Schema):
    """A refusal naming each rule broken (400): the reasons joined, and one by one."""

    detail: str
    reasons: list[str]


class TokenIn(Schema):
    username: str
    password: str
    # The current TOTP code, for accounts that use a second factor.
    otp: str | None = None


class TokenOut(Schema):
    token: str


class Message(Schema):
    detail: str


class OrganizationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    parent_code: str | None
    is_temporary: bool
    department: str | None
    department_category: str | None
    founded_on: dt.date | None
    dissolved_on: dt.date | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_department(obj) -> str | None:
        return obj.department.name if obj.department else None

    @staticmethod
    def resolve_department_category(obj) -> str | None:
        return obj.department.category if obj.department else None


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: dt.date | None
    id_number: str  # always masked in the API
    organization: str
    organization_name: str
    department: str | None
    is_department_head: bool
    talent_category: str
    employment: str
    status: str | None  # None for 群众
    is_mobile: bool

    @staticmethod
    def resolve_id_number(obj) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_department(obj) -> str | None:
        return obj.department.name if obj.department else None

    @staticmethod
    def resolve_status(obj) -> str | None:
        return getattr(obj, "current_status", None)


class StatusPeriodOut(Schema):
    status: str
    started_on: dt.date
    ended_on: dt.date | None


class MembershipOut(Schema):
    organization: str
    started_on: dt.date
    ended_on: dt.date | None
    start_reason: str
    end_reason: str

    @staticmethod
    def resolve_organization(obj) -> str:
        return obj.organization.code


class MemberDetailOut(MemberOut):
    statuses: list[StatusPeriodOut]
    memberships: list[MembershipOut]

    @staticmethod
    def resolve_statuses(obj):
        return list(obj.statuses.all())

    @staticmethod
    def resolve_memberships(obj):
        return list(obj.memberships.select_related("organization").all())
