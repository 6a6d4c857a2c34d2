from django.contrib.auth import authenticate
from ninja import Router
from ninja.responses import Status

from dangjian.accounts.services import issue_token

from .schemas import Message, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post("/auth/token", response={200: TokenOut, 401: Message}, auth=None)
def create_token(request, payload: TokenIn):
    """Exchange a user name and password for a bearer token (lock-out rules apply)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        return Status(401, {"detail": "用户名或密码不正确，或账号已被锁定"})
    if user.must_change_password:
        return Status(401, {"detail": "请先登录网页修改初始密码"})
    return Status(200, {"token": issue_token(user)})
