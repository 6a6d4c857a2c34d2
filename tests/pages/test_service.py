"""Every service page: renders for hospital A's office, 404 for hospital B's, and a query
count that does not grow with the rows it shows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.service import services
from dangjian.service.models import LeaderVisit, PartyPost, Problem, ServiceActivity
from tests.factories import make_member, make_user

from .scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _activities(world, n):
    for i in range(n):
        services.record_activity(
            world.ha_b1,
            services.ActivityInput(
                kind="clinic", title=f"甲院义诊{i}", held_on=TODAY, hours=Decimal("2"),
                people_served=10, volunteers=[make_member(world.ha_b1)], partners=[world.ha_b2],
            ),
        )  # fmt: skip


def _problems(world, n):
    for i in range(n):
        created = services.record_problem(
            world.ha_b1,
            services.ProblemInput(
                title=f"甲院问题{i}", source="patient", found_on=TODAY, deadline=TODAY,
                owner=make_member(world.ha_b1),
            ),
        )  # fmt: skip
        if i % 2:
            services.resolve_problem(created, TODAY, "已解决")


def _first(model, world, make):
    if not model.objects.exists():
        make(world, 1)
    return model.objects.order_by("pk").first()


class TestActivities(ScopedPageTest):
    expected_text = ("志愿服务", "甲院义诊0", "登记活动")

    def url(self, world):
        return f"{reverse('service:activities')}?org={world.ha.code}"

    def grow(self, world, n):
        _activities(world, n)


class TestActivity(ScopedPageTest):
    expected_text = ("甲院义诊0", "参加的党员", "照片")

    def url(self, world):
        return reverse("service:activity", args=[_first(ServiceActivity, world, _activities).pk])

    def grow(self, world, n):
        activity = _first(ServiceActivity, world, _activities)
        services.add_photos(
            activity, [SimpleUploadedFile(f"p{i}.jpg", b"\xff\xd8img") for i in range(n)]
        )
        for _ in range(n):
            activity.volunteers.create(person=make_member(world.ha_b2), hours=1)


class TestProblems(ScopedPageTest):
    expected_text = ("我为群众办实事", "甲院问题0", "按期办结率")

    def url(self, world):
        return f"{reverse('service:problems')}?org={world.ha.code}"

    def grow(self, world, n):
        _problems(world, n)


class TestProblem(ScopedPageTest):
    expected_text = ("甲院问题0", "办结")

    def url(self, world):
        return reverse("service:problem", args=[_first(Problem, world, _problems).pk])

    def grow(self, world, n):
        _first(Problem, world, _problems)


def _visits(world, n):
    leader = make_member(world.ha, name="院领导甲")
    for i in range(n):
        raised = [services.ProblemInput(title=f"走访问题{i}", source="other", found_on=TODAY)]
        services.record_visit(world.ha_b1, leader, TODAY, "走访", raised)


class TestVisits(ScopedPageTest):
    expected_text = ("院领导下沉", "院领导甲", "走访问题0")

    def url(self, world):
        return f"{reverse('service:visits')}?org={world.ha.code}"

    def grow(self, world, n):
        _visits(world, n)


def _posts(world, n):
    for i in range(n):
        services.create_post(
            world.ha_b1, "model_post", f"党员示范岗{i}", [make_member(world.ha_b1)], TODAY
        )


class TestPosts(ScopedPageTest):
    expected_text = ("党员示范岗0",)

    def url(self, world):
        return f"{reverse('service:posts')}?org={world.ha.code}"

    def grow(self, world, n):
        _posts(world, n)


class TestPost(ScopedPageTest):
    expected_text = ("党员示范岗0", "事迹")

    def url(self, world):
        return reverse("service:post", args=[_first(PartyPost, world, _posts).pk])

    def grow(self, world, n):
        post = _first(PartyPost, world, _posts)
        for i in range(n):
            services.add_post_record(post, TODAY, f"事迹{i}")
            post.members.add(make_member(world.ha_b1))


def test_a_photo_opens_only_in_its_hospital(client, world):
    _activities(world, 1)
    activity = ServiceActivity.objects.get()
    photo = services.add_photos(activity, [SimpleUploadedFile("义诊.jpg", b"\xff\xd8img")])[0]
    url = reverse("service:photo", args=[photo.pk])
    client.force_login(world.user(Role.OFFICE))
    assert client.get(url).status_code == 200
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404


def test_the_office_records_an_activity_from_the_page(client, world):
    volunteer = make_member(world.ha_b1, name="志愿者甲")
    client.force_login(world.user(Role.OFFICE))
    response = client.post(
        f"{reverse('service:activity_new')}?org={world.ha_b1.code}",
        {"kind": "home_visit", "title": "送医上门", "held_on": TODAY.isoformat(), "hours": "2.5",
         "people_served": "12", "volunteers": [volunteer.pk], "partners": [world.ha_b2.pk]},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:800]
    activity = ServiceActivity.objects.get()
    assert activity.volunteers.get().hours == Decimal("2.5")
    assert list(activity.partners.all()) == [world.ha_b2]


def test_a_member_cannot_record_and_another_hospital_cannot_resolve(client, world):
    _problems(world, 1)
    problem = Problem.objects.get()
    client.force_login(world.user(Role.OFFICE, "B"))
    url = reverse("service:problem", args=[problem.pk])
    assert (
        client.post(url, {"resolved_on": TODAY.isoformat(), "resolution": "x"}).status_code == 404
    )
    problem.refresh_from_db()
    assert problem.resolved_on is None
    assert not LeaderVisit.objects.exists()


def test_a_secretary_cannot_set_the_hospitals_target(client, world):
    from dangjian.service.models import ServiceTarget

    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    url = f"{reverse('service:target')}?org={world.ha_b1.code}"
    response = client.post(url, {"year": TODAY.year, "people_served": 5})
    assert response.status_code in (403, 404)
    assert not ServiceTarget.objects.exists()
    client.force_login(world.user(Role.OFFICE))
    assert client.post(url, {"year": TODAY.year, "people_served": 5}).status_code == 302
    assert ServiceTarget.objects.get().organization == world.ha
