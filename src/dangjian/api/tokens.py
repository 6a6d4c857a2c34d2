import datetime as dt

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.responses import Status

from dangjian.accounts import second_factor
from dangjian.accounts.services import (
    active_tokens,
    issue_token,
    must_change_password,
    revoke_tokens,
)

from .routing import ApiRouter
from .schemas import Id, Message, TokenIn, TokenOut

router = ApiRouter(tags=["auth"])


@router.post("/auth/token", response={200: TokenOut, 401: Message, 429: Message}, auth=None)
def create_token(request, payload: TokenIn):
    """Exchange a user name and password for a bearer token (lock-out rules apply: a
    locked account answers 429)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        request.axes_locked_out = False  # answered here in JSON, not with axes' HTML page
        return Status(429, {"detail": _("登录失败次数过多，账号已被暂时锁定，请稍后再试")})
    if user is None or not user.is_active:
        return Status(401, {"detail": "用户名或密码不正确，或账号已被锁定"})
    if must_change_password(user):
        return Status(401, {"detail": "密码为初始密码或已过期：请先登录网页修改密码"})
    if not second_factor.verify_for_token(user, payload.otp):
        return Status(401, {"detail": "本账号须用动态口令：请在 otp 中填写身份验证器显示的6位数字"})
    return Status(200, {"token": issue_token(user)})


class ApiTokenOut(Schema):
    id: int
    created_at: dt.datetime
    expires_at: dt.datetime


@router.get("/auth/tokens", response=list[ApiTokenOut])
def my_tokens(request):
    """The caller's own active tokens (only their digests are kept: no key is shown)."""
    return list(active_tokens(request.user))


@router.delete("/auth/tokens/{token_id}", response={204: None, 404: Message})
def revoke_token(request, token_id: Id):
    """Revoke one of the caller's own active tokens (another user's answers 404)."""
    if not revoke_tokens(request.user, [token_id], by=request.user, reason="api"):
        return Status(404, {"detail": "不存在"})
    return Status(204, None)
