"""How the API knows its caller: a bearer token, or the browser session (with CSRF) for
pages calling the API. Either way an initial or expired password must be changed first,
as on the pages (accounts.services.must_change_password)."""

from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from dangjian.accounts.services import must_change_password, user_for_token

PASSWORD_FIRST = _("密码为初始密码或已过期：请先登录网页修改密码，再使用接口")


def _current(user):
    if must_change_password(user):
        raise HttpError(403, str(PASSWORD_FIRST))
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = _current(user)
        return user


class Session(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return _current(user) if user is not None else None


API_AUTH = [BearerToken(), Session()]
