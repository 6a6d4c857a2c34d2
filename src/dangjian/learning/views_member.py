"""The member's learning on a phone: my courses (required first, with progress), the
yearly class hours against the 32-hour target, and my exam results."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from dangjian.core.pages import audit_read, private, year_param

from .models import Attempt
from .pages import learner
from .queries import courses_for, hours_progress, progress


@login_required
def mine(request):
    person = learner(request)
    year = year_param(request, timezone.localdate().year)
    audit_read(request, "learning.mine", obj=person, org_path=person.organization.path)
    courses = list(courses_for(person).filter(year=year))
    return private(
        render(
            request,
            "learning/mine.html",
            {
                "person": person,
                "year": year,
                "courses": courses,
                "progress": progress(courses),
                "hours": hours_progress(person, year),
            },
        )  # fmt: skip
    )


@login_required
def my_results(request):
    person = learner(request)
    attempts = (
        Attempt.objects.filter(person=person, submitted_at__isnull=False)
        .select_related("exam__course")
        .order_by("-submitted_at")
    )
    return private(render(request, "learning/my_results.html", {"attempts": list(attempts)}))


urlpatterns = [
    path("mine/", mine, name="mine"),
    path("mine/results/", my_results, name="my_results"),
]
