"""The member's file page (党员档案, roster.member_file): for whoever may read the person
(the office, the branch, the member themself); another hospital's user gets 404. The
file follows the member: records kept by an organisation they belonged to before a
transfer are part of it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from dangjian.core.pages import audit_read, private
from dangjian.people.models import Person

from .member_file import member_file


@login_required
def member_file_page(request, pk: int):
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization", "department"),
        pk=pk,
    )
    audit_read(request, "person.file_view", obj=person, org_path=person.organization.path)
    context = {"file": member_file(person), "person": person}
    return private(render(request, "roster/member_file.html", context))
