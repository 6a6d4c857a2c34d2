from django.contrib.auth import authenticate
from ninja import Router
from ninja.responses import Status

from dangjian.accounts.services import issue_token, must_change_password

from .schemas import Message, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post("/auth/token", response={200: TokenOut, 401: Message}, auth=None)
def create_token(request, payload: TokenIn):
    """Exchange a user name and password for a bearer token (lock-out rules apply)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, {"detail": "用户名或密码不正确，或账号已被锁定"})
    if must_change_password(user):
        return Status(401, {"detail": "密码为初始密码或已过期：请先登录网页修改密码"})
    return Status(200, {"token": issue_token(user)})
