from django.urls import path

from . import views, views_committee, views_election

app_name = "orgs"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children/", views.children, name="children"),
    path("<str:code>/committee/appoint/", views_committee.appoint_seat, name="appoint"),
    path("<str:code>/election/", views_election.election, name="election"),
    path("<str:code>/term/extend/", views_election.extend, name="extend_term"),
    path(
        "<str:code>/committee/<int:seat_id>/leave/", views_committee.leave_seat, name="leave_seat"
    ),
]
