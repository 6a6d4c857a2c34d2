"""Course pages: the courses of a subtree (office, secretary), publishing one, a course's
page (its materials; for a member the way to complete it; for its managers the forms to
add materials), a material's download and completing a course."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import audited_download, private, year_param
from dangjian.orgs.pages import chosen_org

from . import services
from .forms import CourseForm, DocumentForm, VideoForm
from .models import Completion, Course, CourseDocument, Exam
from .pages import PAGE_SIZE, learner, managed_course, try_service, visible_course
from .permissions import learner_id, may_manage, may_publish, may_read_results
from .queries import ancestor_paths


@login_required
def index(request):
    """学习: the courses for those who manage them, the member's own page otherwise."""
    if scope_for(request.user).people_paths:
        return redirect("learning:courses")
    return redirect("learning:mine")


@login_required
def course_list(request):
    """The courses published to the chosen organisation's subtree or above it (a branch
    secretary sees the hospital's courses too), with how many members completed each."""
    if not scope_for(request.user).people_paths:
        return redirect("learning:mine")
    org = chosen_org(request)
    year = year_param(request, timezone.localdate().year)
    courses = (
        Course.objects.visible_to(request.user)
        .filter(
            Q(organization__path__startswith=org.path)
            | Q(organization__path__in=ancestor_paths(org.path)),
            year=year,
        )
        .select_related("organization")
        .annotate(
            completed=Count("completions", distinct=True),
            has_exam=Exists(Exam.objects.filter(course=OuterRef("pk"))),
        )
        .order_by("-required", "title", "pk")
    )
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "learning/courses.html",
        {"org": org, "year": year, "page": page, "courses": page.object_list,
         "can_publish": may_publish(request.user, org), "extra_query": f"org={org.code}&year={year}"},
    )  # fmt: skip


@login_required
def course_new(request):
    org = chosen_org(request)
    if not may_publish(request.user, org):
        raise PermissionDenied(_("没有发布课程的权限"))
    form = CourseForm(request.POST or None, initial={"year": timezone.localdate().year})
    created = {}
    if request.method == "POST" and try_service(
        form,
        lambda d: created.setdefault("course", services.publish_course(org, by=request.user, **d)),
    ):
        messages.success(request, _("课程已发布，可继续添加资料和考试"))
        return redirect("learning:course", created["course"].pk)
    return render(request, "learning/course_new.html", {"org": org, "form": form})


@login_required
def course_edit(request, pk: int):
    course = managed_course(request, pk)
    initial = {
        "title": course.title, "description": course.description, "hours": course.hours,
        "required": "1" if course.required else "0", "year": course.year,
    }  # fmt: skip
    form = CourseForm(request.POST or None, initial=initial)
    if request.method == "POST" and try_service(
        form, lambda d: services.change_course(course, by=request.user, **d)
    ):
        messages.success(request, _("课程已修改"))
        return redirect("learning:course", course.pk)
    return render(request, "learning/course_edit.html", {"course": course, "form": form})


@login_required
def course_detail(request, pk: int):
    """A course's page: its description and materials; for a member of its audience the
    way to complete it (or take its exam); for its managers the forms to add materials."""
    course = visible_course(request, pk)
    manages = may_manage(request.user, course)
    person_id = learner_id(request.user)
    exam = Exam.objects.filter(course=course).first()
    done = (
        Completion.objects.filter(course=course, person_id=person_id).first() if person_id else None
    )
    forms_ = {}
    if manages:
        forms_ = {"document_form": DocumentForm(), "video_form": VideoForm()}
    return private(
        render(
            request,
            "learning/course.html",
            {
                "course": course,
                "documents": list(course.documents.all()),
                "videos": list(course.videos.all()),
                "exam": exam,
                "done": done,
                "is_learner": person_id is not None,
                "manages": manages,
                "reads_results": may_read_results(request.user, course),
                **forms_,
            },
        )  # fmt: skip
    )


@login_required
@require_POST
def add_documents(request, pk: int):
    course = managed_course(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if try_service(form, lambda d: services.add_documents(course, d["file"], by=request.user)):
        messages.success(request, _("资料已上传"))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("learning:course", course.pk)


@login_required
@require_POST
def add_video(request, pk: int):
    course = managed_course(request, pk)
    form = VideoForm(request.POST)
    if try_service(form, lambda d: services.add_video(course, by=request.user, **d)):
        messages.success(request, _("视频链接已添加"))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("learning:course", course.pk)


@login_required
def document(request, pk: int):
    """A course document for whoever sees the course; audited as a download."""
    visible = Course.objects.visible_to(request.user).values("pk")
    item = get_object_or_404(
        CourseDocument.objects.select_related("course__organization").filter(course__in=visible),
        pk=pk,
    )
    return audited_download(
        request, item, action="learning.download", obj=item.course,
        org_path=item.course.organization.path, summary={"document": item.pk},
    )  # fmt: skip


@login_required
@require_POST
def complete(request, pk: int):
    course = visible_course(request, pk)
    person = learner(request)
    try:
        services.complete_course(course, person)
    except services.LearningError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("已完成课程，计入 %(hours)s 学时") % {"hours": f"{course.hours:.1f}"}
        )
    return redirect(reverse("learning:course", args=[course.pk]))


urlpatterns = [
    path("", index, name="index"),
    path("courses/", course_list, name="courses"),
    path("courses/new/", course_new, name="course_new"),
    path("course/<int:pk>/", course_detail, name="course"),
    path("course/<int:pk>/edit/", course_edit, name="course_edit"),
    path("course/<int:pk>/documents/", add_documents, name="add_documents"),
    path("course/<int:pk>/videos/", add_video, name="add_video"),
    path("course/<int:pk>/complete/", complete, name="complete"),
    path("document/<int:pk>/", document, name="document"),
]
