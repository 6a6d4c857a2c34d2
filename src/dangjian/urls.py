from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from dangjian.api.urls import api
from dangjian.core.urls import site_icon

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="home:index", permanent=False)),
    path("home/", include("dangjian.home.urls")),
    # Browsers ask for /favicon.ico whatever the page says; answer with the icon.
    site_icon,
    path("accounts/", include("dangjian.accounts.urls")),
    path("dashboard/", include("dangjian.dashboard.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("people/", include("dangjian.people.urls")),
    path("development/", include("dangjian.development.urls")),
    # Kept at its first address: the reminders' links (also their identity) point here.
    path("meetings/compliance/", include("dangjian.compliance.urls")),
    path("meetings/", include("dangjian.meetings.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("tasks/", include("dangjian.tasks.urls")),
    path("decisions/", include("dangjian.decisions.urls")),
    path("notices/", include("dangjian.notices.urls")),
    path("service/", include("dangjian.service.urls")),
    path("points/", include("dangjian.points.urls")),
    path("surveys/", include("dangjian.surveys.urls")),
    path("care/", include("dangjian.care.urls")),
    path("honors/", include("dangjian.honors.urls")),
    path("brands/", include("dangjian.brands.urls")),
    path("learning/", include("dangjian.learning.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("roster/", include("dangjian.roster.urls")),
    path("core/", include("dangjian.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

# A full disk or a read-only database answers 503 with a Chinese sentence, not a 500
# (or a 400, when it was the session that could not be saved).
handler400 = "dangjian.core.errors.bad_request"
handler500 = "dangjian.core.errors.server_error"
