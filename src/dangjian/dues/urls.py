from django.urls import path

from . import (
    views_bases,
    views_bases_import,
    views_bills,
    views_member,
    views_reconcile,
    views_reductions,
    views_voluntary,
)

app_name = "dues"
urlpatterns = [
    path("", views_bills.month_page, name="month"),
    path("calc/", views_member.calc, name="calc"),
    path("mine/", views_member.mine, name="mine"),
    path("arrears/", views_bills.arrears_page, name="arrears"),
    path("arrears/export/", views_bills.arrears_export, name="arrears_export"),
    path("export/", views_bills.export, name="export"),
    path("settings/", views_bases.settings_page, name="settings"),
    path("person/<int:pk>/pay/", views_bills.pay, name="pay"),
    path("person/<int:pk>/base/", views_bases.base_page, name="base"),
    path("bases/import/", views_bases_import.upload, name="bases_import"),
    path("bases/import/confirm/", views_bases_import.confirm, name="bases_import_confirm"),
    path("reductions/", views_reductions.reductions, name="reductions"),
    path("person/<int:pk>/reduction/", views_reductions.reduction_new, name="reduction_new"),
    path("reduction/<int:pk>/decide/", views_reductions.reduction_decide, name="reduction_decide"),
    path("person/<int:pk>/voluntary/", views_voluntary.voluntary, name="voluntary"),
    path("reconcile/", views_reconcile.reconcile_page, name="reconcile"),
]
