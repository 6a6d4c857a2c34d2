"""The assessment pages: hospital A's office sees each level, enters and finalises;
hospital B's office gets 404 on every page, download and form; query counts do not grow."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.assessment.judgements import Appraisal, ScoreSheet, SecretaryReview
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from tests.assessment.scenario import known_gaps
from tests.assessment.test_levels import grow
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db


def url(name, org, **query):
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return f"{reverse(name)}?org={org.code}{extra}"


class Grown:
    def grow(self, world, n):
        if not Person.objects.filter(organization=world.ha_b2).exists():
            known_gaps(world)
        start = Organization.objects.filter(
            path__startswith=world.ha.path, code__startswith="HA-X"
        ).count()
        grow(world, n, start)


class TestBranchScores(Grown, ScopedPageTest):
    expected_text = ("党支部考核评分", "未评定", "甲院第0党支部", "组织生活出席率")

    def url(self, world):
        return url("assessment:scores", world.ha, period="2024")


class TestSecretaryScores(Grown, ScopedPageTest):
    expected_text = ("支部书记考核评分", "抓党建述职评议")

    def url(self, world):
        return url("assessment:scores", world.ha, period="2024", level="secretary")


class TestScoresDownload(Grown, ScopedPageTest):
    def url(self, world):
        return url("assessment:scores_download", world.ha, period="2024-Q1")


class TestAppraisalPage(Grown, ScopedPageTest):
    expected_text = ("年度民主评议党员", "保存评议结果")

    def url(self, world):
        return url("assessment:appraisal", world.ha_b2, year="2024")

    def grow(self, world, n):
        super().grow(world, 0)
        from tests.factories import make_member

        for _ in range(n):
            make_member(world.ha_b2)


class TestAppraisalBranches(Grown, ScopedPageTest):
    expected_text = ("请选择党支部", "甲院第0党支部")

    def url(self, world):
        return url("assessment:appraisal", world.ha, year="2024")


class TestReviewPage(Grown, ScopedPageTest):
    expected_text = ("述职评议", "甲院第0党支部")

    def url(self, world):
        return url("assessment:review", world.ha, year="2024")


class TestHospitalScoresForGuidance(ScopedPageTest):
    viewer_role = Role.GUIDANCE
    viewer_hospital = "CITY"
    expected_text = ("医院考核评分", "发展党员按期推进率")

    def url(self, world):
        return url("assessment:scores", world.guidance, period="2024", level="hospital")

    def grow(self, world, n):
        from tests.factories import hospital_tree

        for _ in range(n):
            world.guidance.refresh_from_db()
            hospital_tree(f"HC{world.guidance.numchild}", guidance=world.guidance)

    def test_other_hospital_cannot_see_it(self, client, world):
        client.force_login(world.user(Role.OFFICE, "B"))
        assert client.get(self.url(world)).status_code == 404


def test_the_office_enters_the_grades_in_one_form(client, world):
    known_gaps(world)
    people = list(Person.objects.filter(organization=world.ha_b2).order_by("pk"))
    client.force_login(world.user(Role.OFFICE))
    target = url("assessment:appraisal", world.ha_b2, year="2024")
    bad = {f"grade-{people[0].pk}": "excellent", f"grade-{people[1].pk}": "unqualified"}
    page = client.post(target, bad).content.decode()
    assert "评为不合格须填写理由" in page and not Appraisal.objects.exists()
    good = {**bad, f"reason-{people[1].pk}": "无正当理由连续六个月不参加组织生活"}
    assert client.post(target, good).status_code == 302
    assert Appraisal.objects.filter(year=2024).count() == 2
    page = client.get(target).content.decode()
    assert "已评议 2 名" in page and "优秀占 50%" in page


def test_another_hospitals_office_gets_404_on_every_form(client, world):
    known_gaps(world)
    person = Person.objects.filter(organization=world.ha_b2).first()
    client.force_login(world.user(Role.OFFICE, "B"))
    posts = [
        (url("assessment:appraisal", world.ha_b2, year="2024"), {f"grade-{person.pk}": "qualified"}),
        (url("assessment:review", world.ha, year="2024"),
         {"branch": world.ha_b2.pk, "secretary": person.pk, "grade": "good"}),
        (url("assessment:scores_finalise", world.ha), {"level": "branch", "period": "2024"}),
    ]  # fmt: skip
    for target, data in posts:
        assert client.post(target, data).status_code == 404, target
    assert not (Appraisal.objects.exists() or SecretaryReview.objects.exists()
                or ScoreSheet.objects.exists())  # fmt: skip


def test_a_secretary_may_appraise_but_not_review_or_finalise(client, world):
    known_gaps(world)
    from tests.factories import make_user

    secretary = world.ha_b2.seats.get().person
    client.force_login(make_user("sec_ha_b2_only", Role.SECRETARY, world.ha_b2))
    member = Person.objects.filter(organization=world.ha_b2).first()
    response = client.post(
        url("assessment:appraisal", world.ha_b2, year="2024"), {f"grade-{member.pk}": "qualified"}
    )
    assert response.status_code == 302 and Appraisal.objects.filter(person=member).exists()
    response = client.post(
        url("assessment:review", world.ha_b2, year="2024"),
        {"branch": world.ha_b2.pk, "secretary": secretary.pk, "grade": "good"},
    )
    assert response.status_code == 403 and not SecretaryReview.objects.exists()
    response = client.post(
        url("assessment:scores_finalise", world.ha_b2), {"level": "branch", "period": "2024"}
    )
    assert response.status_code == 403 and not ScoreSheet.objects.exists()


def test_finalised_sheet_shows_as_decided_and_downloads(client, world):
    known_gaps(world)
    client.force_login(world.user(Role.OFFICE))
    response = client.post(
        url("assessment:scores_finalise", world.ha), {"level": "branch", "period": "2024-Q1"}
    )
    assert response.status_code == 302 and ScoreSheet.objects.count() == 1
    page = client.get(url("assessment:scores", world.ha, period="2024-Q1")).content.decode()
    assert "已评定" in page and "重新评定" in page
    download = client.get(url("assessment:scores_download", world.ha, period="2024-Q1"))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    sheet = book["考核评分"]
    assert "已评定" in sheet["A1"].value
    assert [sheet.cell(row=r, column=2).value for r in (3, 4)] == [
        world.ha_b2.name,
        world.ha_b1.name,
    ]
    assert any(
        "完成支部品牌创建方案" in (row[5].value or "") for row in book["得分明细"].iter_rows()
    )


def test_the_reviewer_grades_a_secretary(client, world):
    known_gaps(world)
    secretary = world.ha_b2.seats.get().person
    client.force_login(world.user(Role.OFFICE))
    target = url("assessment:review", world.ha, year="2024")
    page = client.post(
        target, {"branch": world.ha_b2.pk, "secretary": secretary.pk, "grade": "poor"}
    )
    assert "评为差须填写评语" in page.content.decode() and not SecretaryReview.objects.exists()
    data = {"branch": world.ha_b2.pk, "secretary": secretary.pk, "grade": "fair", "comment": "好"}
    assert client.post(target, data).status_code == 302
    assert "平均 <strong>80.0</strong>" in client.get(target).content.decode()


def test_api_scores_live_then_as_finalised_and_404_elsewhere(client, world):
    from tests.factories import api_auth

    known_gaps(world)
    office = world.user(Role.OFFICE)
    auth = api_auth(client, office)
    target = f"/api/v1/assessment/scores?org={world.ha.code}&period=2024-Q1"
    body = client.get(target, **auth).json()
    assert body["finalised"] is False and [i["name"] for i in body["items"]][0] == world.ha_b2.name
    poor = body["items"][1]
    tasks = next(i for i in poor["indicators"] if i["key"] == "tasks")
    assert tasks["records"] == ["完成支部品牌创建方案（2024-03-15 到期）"]
    client.force_login(office)
    client.post(
        url("assessment:scores_finalise", world.ha), {"level": "branch", "period": "2024-Q1"}
    )
    again = client.get(target, **auth).json()
    assert again["finalised"] is True and again["items"] == body["items"]
    bad = client.get(f"/api/v1/assessment/scores?org={world.ha.code}&period=2024-Q9", **auth)
    assert bad.status_code == 400 and "格式" in bad.json()["detail"]
    outsider = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.get(target, **outsider).status_code == 404


def test_a_branch_secretary_gets_404_for_the_hospital_level(client, world):
    from tests.factories import api_auth, make_user

    known_gaps(world)
    secretary = make_user("sec_ha_b2", Role.SECRETARY, world.ha_b2)
    auth = api_auth(client, secretary)
    base = f"/api/v1/assessment/scores?org={world.ha_b2.code}&period=2024-Q1"
    assert client.get(base, **auth).status_code == 200
    response = client.get(f"{base}&level=hospital", **auth)
    assert response.status_code == 404 and world.ha_b1.name not in response.content.decode()


def test_the_scores_api_writes_the_read_to_the_audit_log(client, world):
    from dangjian.core.models import AuditEntry
    from tests.factories import api_auth

    known_gaps(world)
    auth = api_auth(client, world.user(Role.OFFICE))
    target = f"/api/v1/assessment/scores?org={world.ha.code}&period=2024-q1"
    assert client.get(target, **auth).status_code == 200
    entry = AuditEntry.objects.filter(action="assessment.read_scores").get()
    assert entry.summary == {"org": world.ha.code, "level": "branch", "period": "2024-Q1"}


def test_a_finalised_sheet_is_found_as_typed_and_shows_a_score_of_0(client, world):
    from dangjian.assessment.judgements import ScoreEntry

    known_gaps(world)
    client.force_login(world.user(Role.OFFICE))
    client.post(
        url("assessment:scores_finalise", world.ha), {"level": "branch", "period": "2024-Q1"}
    )
    ScoreEntry.objects.filter(organization=world.ha_b1).update(score=0.0)
    page = client.get(url("assessment:scores", world.ha, period="2024-Q1")).content.decode()
    assert 'fw-semibold">0.0</span>' in page
    page = client.get(url("assessment:scores", world.ha, period="2024-q1")).content.decode()
    assert "重新评定" in page and 'fw-semibold">0.0</span>' in page
