from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views, views_admin, views_audit, views_otp, views_tokens

urlpatterns = [
    path("login/", views.DangjianLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views_tokens.tokens, name="tokens"),
    path("tokens/revoke/", views_tokens.revoke, name="tokens_revoke"),
    path("otp/", views_otp.otp, name="otp"),
    path("users/", views_admin.account_list, name="account_list"),
    path("users/new/", views_admin.account_new, name="account_new"),
    path("users/<int:pk>/", views_admin.account_detail, name="account_detail"),
    path("users/<int:pk>/active/", views_admin.account_active, name="account_active"),
    path("users/<int:pk>/unlock/", views_admin.account_unlock, name="account_unlock"),
    path("users/<int:pk>/password/", views_admin.account_password, name="account_password"),
    path("users/<int:pk>/grants/", views_admin.account_grant, name="account_grant"),
    path(
        "users/<int:pk>/grants/<int:grant_pk>/revoke/",
        views_admin.account_revoke,
        name="account_revoke",
    ),  # fmt: skip
    path("users/<int:pk>/otp-reset/", views_admin.account_reset_otp, name="account_reset_otp"),
    path(
        "users/<int:pk>/tokens-revoke/",
        views_admin.account_revoke_tokens,
        name="account_revoke_tokens",
    ),  # fmt: skip
    path("security/", views_admin.security_policy, name="security_policy"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/verify/", views_audit.audit_verify, name="audit_verify"),
    path("audit/export/", views_audit.audit_export, name="audit_export"),
]
