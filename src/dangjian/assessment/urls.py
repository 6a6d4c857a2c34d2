from django.urls import path

from . import views, views_judging

app_name = "assessment"
urlpatterns = [
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("bulletin/download/", views.bulletin_download, name="bulletin_download"),
    path("bulletin/publish/", views.bulletin_publish, name="bulletin_publish"),
    path("scores/", views_judging.scores_page, name="scores"),
    path("scores/download/", views_judging.scores_download, name="scores_download"),
    path("scores/finalise/", views_judging.scores_finalise, name="scores_finalise"),
    path("appraisal/", views_judging.appraisal_page, name="appraisal"),
    path("review/", views_judging.review_page, name="review"),
]
