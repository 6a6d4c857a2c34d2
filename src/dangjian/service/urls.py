from django.urls import path

from . import views, views_alliances, views_cobuilding, views_posts, views_problems

app_name = "service"

urlpatterns = [
    path("", views.activities, name="activities"),
    path("new/", views.activity_new, name="activity_new"),
    path("<int:pk>/", views.activity, name="activity"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("problems/", views_problems.problems, name="problems"),
    path("problems/new/", views_problems.problem_new, name="problem_new"),
    path("problems/<int:pk>/", views_problems.problem, name="problem"),
    path("visits/", views_problems.visits, name="visits"),
    path("target/", views_problems.target, name="target"),
    path("posts/", views_posts.posts, name="posts"),
    path("posts/<int:pk>/", views_posts.post, name="post"),
    path("cobuilding/", views_cobuilding.partnerships, name="partnerships"),
    path("cobuilding/new/", views_cobuilding.partnership_new, name="partnership_new"),
    path("cobuilding/<int:pk>/", views_cobuilding.partnership, name="partnership"),
    path("cobuilding/<int:pk>/edit/", views_cobuilding.partnership_edit, name="partnership_edit"),
    path("cobuilding/<int:pk>/end/", views_cobuilding.partnership_end, name="partnership_end"),
    path(
        "cobuilding/<int:pk>/activity/",
        views_cobuilding.partnership_activity,
        name="partnership_activity",
    ),  # fmt: skip
    path("alliances/", views_alliances.alliances, name="alliances"),
    path("alliances/new/", views_alliances.alliance_new, name="alliance_new"),
    path("alliances/<int:pk>/", views_alliances.alliance, name="alliance"),
    path("alliances/<int:pk>/edit/", views_alliances.alliance_edit, name="alliance_edit"),
    path("alliances/<int:pk>/end/", views_alliances.alliance_end, name="alliance_end"),
    path(
        "alliances/<int:pk>/activity/",
        views_alliances.alliance_activity,
        name="alliance_activity",
    ),  # fmt: skip
]
