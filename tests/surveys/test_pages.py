"""Survey pages: each renders for hospital A, is 404 for hospital B's user, keeps its
query count as surveys and answers grow; the author's flow (draft, question, publish)
and a member's answer run through the pages; bad input gets a Chinese message."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.people.models import Person
from dangjian.surveys import services
from dangjian.surveys.models import Answer, Question, Response, Survey
from tests.factories import make_member
from tests.pages.scoped import ScopedPageTest

from .builders import SINGLE, a_survey, given, member_account

pytestmark = pytest.mark.django_db


def first(world, **extra) -> Survey:
    found = Survey.objects.filter(organization=world.ha, **extra).order_by("pk").first()
    return found or a_survey(world.ha, anonymous=False, results_public=True, **(
        {"opens": -48, "closes": -1} if extra.get("closes_at__lt") else {}))  # fmt: skip


def answer_many(world, survey, n):
    for _ in range(n):
        member, user = member_account(world.ha_b1)
        services.answer(survey, member, given(survey, {2: [0, 1]}, text="建议"), by=user)


def linked_member(world, hospital: str) -> Person:
    """The world's member user of `hospital`, linked to a member of its first branch."""
    user = world.user(Role.MEMBER, hospital)
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = make_member(world.ha_b1 if hospital == "A" else world.hb_b1)
        person.user = user
        person.save(update_fields=["user"])
    return person


class TestList(ScopedPageTest):
    expected_text = ("问卷与投票", "支部工作问卷", "发起问卷或投票")
    outsider_status = 200

    def url(self, world):
        return reverse("surveys:list") + f"?org={world.ha.code}"

    def private_text(self, world):
        return "支部工作问卷"

    def test_other_hospital_cannot_see_it(self, client, world):
        self.grow(world, 1)
        client.force_login(world.user(self.viewer_role, "B"))
        assert client.get(self.url(world)).status_code == 404  # A's code is not B's
        page = client.get(reverse("surveys:list")).content.decode()
        assert self.private_text(world) not in page

    def grow(self, world, n):
        for _ in range(n):
            answer_many(world, a_survey(world.ha), 1)


class TestDetail(ScopedPageTest):
    """A branch secretary's own survey."""

    expected_text = ("支部工作问卷", "已答", "查看结果")

    def url(self, world):
        return reverse("surveys:detail", args=[self.survey(world).pk])

    def survey(self, world):
        return Survey.objects.filter(organization=world.ha_b1).first() or a_survey(world.ha_b1)

    def viewer(self, world):
        from tests.factories import make_user

        if "sec" not in world.users:
            world.users["sec"] = make_user("sec-a-b1", Role.SECRETARY, world.ha_b1)
        return world.users["sec"]

    def grow(self, world, n):
        answer_many(world, self.survey(world), n)


def draft(world) -> Survey:
    found = Survey.objects.filter(published_at__isnull=True).first()
    return found or a_survey(world.ha, publish=False, questions=[])


class TestDraftDetail(ScopedPageTest):
    expected_text = ("添加题目", "发布")

    def url(self, world):
        return reverse("surveys:detail", args=[draft(world).pk])

    def grow(self, world, n):
        survey = draft(world)
        for i in range(n):
            services.add_question(survey, kind="single", text=f"第{Question.objects.count()}{i}题",
                                  options=["甲", "乙", "丙"])  # fmt: skip


class TestEdit(TestDraftDetail):
    expected_text = ("修改问卷设置", "截止时间")

    def url(self, world):
        return reverse("surveys:edit", args=[draft(world).pk])


class TestNew(ScopedPageTest):
    expected_text = ("发起问卷或投票", "匿名")

    def url(self, world):
        return reverse("surveys:new") + f"?org={world.ha.code}"

    def grow(self, world, n):
        for _ in range(n):
            a_survey(world.ha)


class TestResults(ScopedPageTest):
    expected_text = ("参与率", "作答明细", "满意")

    def url(self, world):
        return reverse("surveys:results", args=[first(world).pk])

    def grow(self, world, n):
        answer_many(world, first(world), n)


class TestExport(TestResults):
    def url(self, world):
        return reverse("surveys:export", args=[first(world).pk])


class TestMemberResults(ScopedPageTest):
    """A member of the audience sees public results after closing, without names."""

    viewer_role = Role.MEMBER
    expected_text = ("参与率", "满意")

    def survey(self, world):
        survey = Survey.objects.filter(organization=world.ha, title="已截止").first()
        if survey is None:
            survey = a_survey(world.ha, title="已截止", results_public=True, anonymous=False)
            answer_many(world, survey, 1)
            Survey.objects.filter(pk=survey.pk).update(  # closed long ago
                opens_at=survey.opens_at.replace(year=2000),
                closes_at=survey.opens_at.replace(year=2001),
            )
        return survey

    def url(self, world):
        linked_member(world, "A"), linked_member(world, "B")
        return reverse("surveys:results", args=[self.survey(world).pk])

    def grow(self, world, n):
        survey = self.survey(world)
        for _ in range(n):
            member = make_member(world.ha_b1)
            response = Response.objects.create(survey=survey, person=member)
            question = survey.questions.first()
            Answer.objects.create(question=question, option=question.options.first(),
                                  response=response)  # fmt: skip

    def test_no_names_for_members(self, client, world):
        url = self.url(world)
        client.force_login(world.user(Role.MEMBER, "A"))
        page = client.get(url).content.decode()
        assert "作答明细" not in page

    def test_hidden_before_closing_or_when_not_public(self, client, world):
        linked_member(world, "A")
        client.force_login(world.user(Role.MEMBER, "A"))
        open_one = a_survey(world.ha, results_public=True)
        private = a_survey(world.ha, results_public=False, opens=-48, closes=-1)
        for survey in (open_one, private):
            assert client.get(reverse("surveys:results", args=[survey.pk])).status_code == 404


class TestMine(ScopedPageTest):
    viewer_role = Role.MEMBER
    outsider_status = 200
    expected_text = ("我的问卷", "待作答", "支部工作问卷")

    def url(self, world):
        linked_member(world, "A"), linked_member(world, "B")
        return reverse("surveys:mine")

    def private_text(self, world):
        return "支部工作问卷"

    def grow(self, world, n):
        for _ in range(n):
            a_survey(world.ha)
            answered = a_survey(world.ha, title="已答问卷")
            person = linked_member(world, "A")
            services.answer(answered, person, given(answered))
            a_survey(world.ha, title="公开结果", results_public=True, opens=-48, closes=-1)


class TestAnswer(ScopedPageTest):
    viewer_role = Role.MEMBER
    expected_text = ("您对支部活动是否满意", "最多选 2 项", "提交")

    def url(self, world):
        linked_member(world, "A"), linked_member(world, "B")
        return reverse("surveys:answer", args=[first(world).pk])

    def grow(self, world, n):
        answer_many(world, first(world), n)


def test_a_member_answers_through_the_page(client, world):
    survey = a_survey(world.ha)
    person = linked_member(world, "A")
    client.force_login(world.user(Role.MEMBER, "A"))
    url = reverse("surveys:answer", args=[survey.pk])
    single, multiple, text = survey.questions.prefetch_related("options")
    too_many = {f"q{single.pk}": single.options.first().pk,
                f"q{multiple.pk}": [o.pk for o in multiple.options.all()][:3]}  # fmt: skip
    page = client.post(url, too_many).content.decode()
    assert "第 2 题：最多只能选择 2 项" in page
    assert not Response.objects.exists() and not Answer.objects.exists()
    good = {**too_many, f"q{multiple.pk}": [multiple.options.first().pk], f"q{text.pk}": "好"}
    assert client.post(url, good).status_code == 302
    assert Response.objects.get().person == person
    assert "您已作答" in client.get(url).content.decode()
    client.post(url, good)
    assert Response.objects.count() == 1 and Answer.objects.count() == 3


def test_the_author_builds_and_publishes_through_the_pages(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    new = reverse("surveys:new") + f"?org={world.ha.code}"
    bad = {"title": "投票", "opens_at": "2026-12-05T09:00", "closes_at": "2026-12-04T09:00"}
    assert "截止时间须晚于开始时间" in client.post(new, bad).content.decode()
    assert not Survey.objects.exists()
    good = {**bad, "closes_at": "2099-12-06T09:00", "is_vote": "on", "is_anonymous": "on"}
    response = client.post(new, good)
    survey = Survey.objects.get()
    assert response.url == reverse("surveys:detail", args=[survey.pk])
    detail = reverse("surveys:detail", args=[survey.pk])
    page = client.post(detail, {"action": "question", "kind": "single", "text": "推荐人选",
                                "options": "甲"}).content.decode()  # fmt: skip
    assert "选择题至少需要 2 个选项" in page and not Question.objects.exists()
    client.post(detail, {"action": "question", "kind": "single", "text": "推荐人选",
                         "options": "甲\n乙\n"})  # fmt: skip
    assert list(Question.objects.get().options.values_list("text", flat=True)) == ["甲", "乙"]
    client.post(detail, {"action": "publish"})
    survey.refresh_from_db()
    assert survey.is_published and survey.is_anonymous and survey.is_vote


def test_a_branch_secretary_keeps_to_the_branch(client, world):
    from tests.factories import make_user

    hospital_survey = a_survey(world.ha, publish=False)
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    detail = reverse("surveys:detail", args=[hospital_survey.pk])
    assert client.post(detail, {"action": "publish"}).status_code == 404
    new = reverse("surveys:new")
    assert client.get(f"{new}?org={world.ha_b1.code}").status_code == 200
    assert client.get(f"{new}?org={world.ha.code}").status_code == 404
    hospital_survey.refresh_from_db()
    assert not hospital_survey.is_published


def test_a_reader_cannot_change_a_survey(client, world):
    survey = a_survey(world.ha, publish=False)
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    response = client.post(reverse("surveys:detail", args=[survey.pk]), {"action": "publish"})
    assert response.status_code == 403
    survey.refresh_from_db()
    assert not survey.is_published


def test_export_has_counts_and_names(client, world):
    survey = a_survey(world.ha, anonymous=False)
    answer_many(world, survey, 2)
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["结果", "填空回答", "作答明细"]
    rows = [[c.value for c in row] for row in book["结果"].iter_rows()]
    assert any(r[2] == "满意" and r[3] == 2 and r[4] == 1.0 for r in rows), rows
    assert "应答 2 人，已答 2 人，参与率 100.0%" in rows[2][0]


def test_an_option_of_another_survey_is_refused_on_the_page(client, world):
    survey = a_survey(world.ha)
    other = a_survey(world.ha, title="另一份")
    linked_member(world, "A")
    client.force_login(world.user(Role.MEMBER, "A"))
    single = survey.questions.first()
    foreign = other.questions.first().options.first().pk
    page = client.post(reverse("surveys:answer", args=[survey.pk]), {f"q{single.pk}": foreign})
    assert "选择一个有效的选项" in page.content.decode()
    assert not Response.objects.exists()


def test_a_vote_offers_no_second_question(client, world):
    vote = a_survey(world.ha, questions=[SINGLE], is_vote=True, publish=False)
    client.force_login(world.user(Role.OFFICE, "A"))
    page = client.get(reverse("surveys:detail", args=[vote.pk])).content.decode()
    assert "添加题目" not in page and "发布" in page
