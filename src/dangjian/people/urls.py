from django.urls import path

from . import views, views_registry

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
]
