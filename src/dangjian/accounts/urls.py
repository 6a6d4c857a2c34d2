from django.contrib.auth.views import LogoutView
from django.urls import path

from . import views, views_audit

urlpatterns = [
    path("login/", views.DangjianLoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("audit/", views_audit.audit_log, name="audit_log"),
    path("audit/verify/", views_audit.audit_verify, name="audit_verify"),
]
