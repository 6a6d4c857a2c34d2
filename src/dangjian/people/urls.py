from django.urls import path

from . import views, views_registry, views_transfers

app_name = "people"
urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("new/", views_registry.add_person, name="add"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views_registry.edit_person, name="edit"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
    path("<int:pk>/standing/", views_registry.standing, name="standing"),
    path("<int:pk>/standing/revoke/", views_registry.revoke, name="revoke"),
    path("<int:pk>/mobile/", views_registry.mobile, name="mobile"),
    path("<int:pk>/mobile/end/", views_registry.mobile_end, name="mobile_end"),
    path("<int:pk>/transfer/", views_transfers.start, name="transfer"),
    path("<int:pk>/letter/", views_transfers.letter, name="letter"),
    path("transfers/", views_transfers.transfer_list, name="transfers"),
    path("transfers/in/", views_transfers.transfer_in, name="transfer_in"),
    path("transfers/orgs/", views_transfers.org_options, name="org_options"),
    path("transfers/<int:pk>/", views_transfers.detail, name="transfer_detail"),
    path("transfers/<int:pk>/accept/", views_transfers.accept, name="transfer_accept"),
    path("transfers/<int:pk>/return/", views_transfers.send_back, name="transfer_return"),
    path("transfers/<int:pk>/withdraw/", views_transfers.withdraw, name="transfer_withdraw"),
    path("transfers/<int:pk>/receipt/", views_transfers.receipt, name="transfer_receipt"),
    path("transfers/<int:pk>/void/", views_transfers.void, name="transfer_void"),
    path("transfers/<int:pk>/letter.docx", views_transfers.letter_docx, name="transfer_letter"),
]
