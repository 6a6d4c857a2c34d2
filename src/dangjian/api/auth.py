from ninja.security import HttpBearer, django_auth

from dangjian.accounts.services import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


# A bearer token, or the browser session (with CSRF) for pages calling the API.
API_AUTH = [BearerToken(), django_auth]
