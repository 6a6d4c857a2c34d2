from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views, views_audit, views_tokens

urlpatterns = [
    path("login/", views.DangjianLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views_tokens.tokens, name="tokens"),
    path("tokens/revoke/", views_tokens.revoke, name="tokens_revoke"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/verify/", views_audit.audit_verify, name="audit_verify"),
]
