from django.urls import path

from . import views, views_committee, views_election, views_restructure, views_split

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/committee/appoint/", views_committee.appoint_seat, name="appoint"),
    path("<str:code>/election/", views_election.election, name="election"),
    path("<str:code>/term/extend/", views_election.extend, name="extend_term"),
    path("<str:code>/election/<int:pk>/revoke/", views_election.revoke, name="revoke_election"),
    path(
        "<str:code>/committee/<int:seat_id>/leave/", views_committee.leave_seat, name="leave_seat"
    ),
    path("<str:code>/new/", views_restructure.new_child, name="new_child"),
    path("<str:code>/rename/", views_restructure.rename_org, name="rename"),
    path("<str:code>/joint/", views_restructure.joint, name="joint"),
    path("<str:code>/dissolve/", views_restructure.dissolve, name="dissolve"),
    path("<str:code>/split/", views_split.split_branch, name="split"),
    path("<str:code>/merge/", views_split.merge_branches, name="merge"),
    path("<str:code>/end/", views_split.end_temporary_branch, name="end_temporary"),
]
