from django.urls import path

from . import views, views_posts, views_problems

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
]
