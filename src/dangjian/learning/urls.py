from . import views_bank, views_courses, views_exams, views_figures, views_member

app_name = "learning"
urlpatterns = [
    *views_courses.urlpatterns,
    *views_bank.urlpatterns,
    *views_exams.urlpatterns,
    *views_member.urlpatterns,
    *views_figures.urlpatterns,
]
