"""What the learning pages share: the course a page is about (404 outside the user's
scope), the hospital whose bank a page is about, and running a service for a form."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from dangjian.orgs.models import Organization
from dangjian.orgs.pages import chosen_org

from .models import Course
from .permissions import learner_id, may_manage
from .services import LearningError

PAGE_SIZE = 50


def visible_course(request, pk: int) -> Course:
    return get_object_or_404(
        Course.objects.visible_to(request.user).select_related("organization"), pk=pk
    )


def managed_course(request, pk: int) -> Course:
    """A course the user may change: 404 outside the scope, 403 where they only read."""
    course = visible_course(request, pk)
    if not may_manage(request.user, course):
        raise PermissionDenied(_("没有管理该课程的权限"))
    return course


def learner(request):
    """The member's own person (with the organisation); 404 for accounts without one."""
    if learner_id(request.user) is None:
        raise Http404(_("账号未关联人员信息"))
    return request.user.person


def chosen_hospital(request) -> Organization:
    """The hospital of `?org=` (or of the user's topmost organisation): the bank and the
    figures are the hospital's. 404 when the user may not read its people."""
    from dangjian.accounts.scope import scope_for

    org = chosen_org(request)
    hospital = org if org.path == org.hospital_path else None
    if hospital is None:
        hospital = Organization.objects.filter(path=org.hospital_path).first()
    if hospital is None or not scope_for(request.user).can_read_people(hospital):
        raise Http404(_("没有可查看的医院"))
    return hospital


def try_service(form, run) -> bool:
    """Run a service for a valid form; a refusal becomes the form's error and nothing
    is written."""
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            run(form.cleaned_data)
    except LearningError as refused:
        form.add_error(None, str(refused))
        return False
    return True
