"""The development API: pipeline, due list, timeline and recording a step. The same scope
as the pages (hospital B's user gets 404 on hospital A's people and organisations, a
reader gets 403 when recording), the same refusals as the service, nothing written when
refused, and query counts that do not grow with the data."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.dates import add_months
from dangjian.core.models import AuditEntry
from dangjian.development.models import DevelopmentStep
from dangjian.development.services import StepInput, record_step
from dangjian.development.steps import StepCode
from dangjian.people.models import Status, StatusPeriod
from tests.factories import TEST_PASSWORD, make_member, make_user

from .builders import advance, fill_branch, new_applicant, sponsors, step_dates

pytestmark = pytest.mark.django_db
S = StepCode
TODAY = timezone.localdate()
API = "/api/v1/development"


def auth(client, user) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


def office(client, world, hospital="A") -> dict:
    return auth(client, world.user(Role.OFFICE, hospital))


def post_step(client, headers, person, **body):
    return client.post(
        f"{API}/people/{person.pk}/steps", body, content_type="application/json", **headers
    )


def applicant(org, days_ago: int, **person):
    person = new_applicant(org, **person)
    day = TODAY - dt.timedelta(days=days_ago)
    record_step(person, StepInput(S.APPLICATION, day), today=day)
    return person


def activist(org, months_ago: int, helpers=None, **person):
    """Confirmed `months_ago` months ago, filed, with cultivators."""
    applied = add_months(TODAY, -months_ago) - dt.timedelta(days=40)
    return advance(new_applicant(org, **person), S.CULTIVATORS_ASSIGNED, applied, helpers)


def imported_activist(org, since=dt.date(2020, 3, 1), **person):
    """An activist whose history came from the roster: one imported milestone."""
    person = make_member(org, status=Status.ACTIVIST, since=since, **person)
    DevelopmentStep.objects.create(
        person=person,
        organization=org,
        code=S.ACTIVIST_CONFIRMED,
        done_on=since,
        effective_on=since,
        imported=True,
    )
    return person


def writes(person) -> tuple:
    """What a refused step must leave unchanged."""
    return (
        list(person.development_steps.values_list("code", "done_on")),
        list(StatusPeriod.objects.filter(person=person).values_list("status", "ended_on")),
    )


# ---- the contract --------------------------------------------------------------------
def test_the_endpoints_are_in_the_openapi_document(client, db, settings):
    settings.DANGJIAN_API_DOCS_LOGIN = False  # the document is public here
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/development/pipeline",
        "/api/v1/development/due",
        "/api/v1/development/people/{person_id}/steps",
    } <= paths.keys()
    assert {"get", "post"} <= paths["/api/v1/development/people/{person_id}/steps"].keys()


def test_no_token_answers_401(client, world):
    person = applicant(world.ha_b1, days_ago=5)
    assert client.get(f"{API}/pipeline").status_code == 401
    assert client.get(f"{API}/people/{person.pk}/steps").status_code == 401
    assert (
        post_step(client, {}, person, code="application_talk", done_on=str(TODAY)).status_code
        == 401
    )


# ---- scope: another hospital's records do not exist -----------------------------------
def test_every_endpoint_answers_404_to_another_hospital(client, world):
    person = applicant(world.ha_b1, days_ago=60)
    headers = office(client, world, "B")
    for url in (
        f"{API}/pipeline?org={world.ha.code}",
        f"{API}/pipeline?org={world.ha_b1.code}",
        f"{API}/due?org={world.ha.code}",
        f"{API}/people/{person.pk}/steps",
    ):
        response = client.get(url, **headers)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "不存在"}
    before = writes(person)
    response = post_step(client, headers, person, code="application_talk", done_on=str(TODAY))
    assert response.status_code == 404 and response.json() == {"detail": "不存在"}
    assert writes(person) == before


def test_lists_without_org_show_only_the_callers_hospital(client, world):
    applicant(world.ha_b1, days_ago=60, name="甲医院申请人")
    applicant(world.hb_b1, days_ago=60, name="乙医院申请人")
    headers = office(client, world, "B")
    pipeline = client.get(f"{API}/pipeline", **headers).json()
    assert [item["name"] for item in pipeline["items"]] == ["乙医院申请人"]
    due = client.get(f"{API}/due", **headers).json()
    assert [item["person"] for item in due["items"]] == ["乙医院申请人"]


def test_a_member_or_a_reader_may_not_record_a_step(client, world):
    person = applicant(world.ha_b1, days_ago=5)
    member = make_user("member-self", Role.MEMBER, world.ha_b1)
    person.user = member
    person.save()
    before = writes(person)
    # The member sees their own record, but may not write it: 403, not 404.
    assert client.get(f"{API}/people/{person.pk}/steps", **auth(client, member)).status_code == 200
    for user in (member, world.user(Role.GUIDANCE, "CITY"), world.user(Role.AUDITOR)):
        response = post_step(
            client, auth(client, user), person, code="application_talk", done_on=str(TODAY)
        )
        assert response.status_code == 403, user.username
        assert response.json() == {"detail": "没有登记发展步骤的权限"}
    assert writes(person) == before


def test_a_secretary_records_in_the_own_branch_only(client, world):
    mine = applicant(world.ha_b1, days_ago=5)
    other = applicant(world.ha_b2, days_ago=5)
    headers = auth(client, make_user("secretary-b1", Role.SECRETARY, world.ha_b1))
    body = {"code": "application_talk", "done_on": str(TODAY)}
    assert post_step(client, headers, mine, **body).status_code == 201
    assert post_step(client, headers, other, **body).status_code == 404
    assert client.get(f"{API}/pipeline?org={world.ha_b2.code}", **headers).status_code == 404


# ---- the pipeline --------------------------------------------------------------------
def test_pipeline_items_say_stage_since_and_what_is_due(client, world):
    helpers = sponsors(world.ha_b1)
    first = activist(world.ha_b1, months_ago=11, helpers=helpers, name="积极分子甲")
    applicant(world.ha_b2, days_ago=45, name="申请人乙")  # the talk is overdue
    make_member(world.ha_b1, status=Status.PROBATIONARY, name="预备丙")
    body = client.get(f"{API}/pipeline?org={world.ha.code}", **office(client, world)).json()
    assert body["count"] == 3
    # Board order: applicants, activists, candidates, probationary members.
    assert [(i["name"], i["stage"]) for i in body["items"]] == [
        ("申请人乙", "applicant"),
        ("积极分子甲", "activist"),
        ("预备丙", "probationary"),
    ]
    item = body["items"][1]
    confirmed = add_months(TODAY, -11)
    assert item["id"] == first.pk and item["organization"] == world.ha_b1.code
    assert item["stage_label"] == "入党积极分子"
    assert item["since"] == confirmed.isoformat()
    assert item["days_in_stage"] == (TODAY - confirmed).days
    assert item["candidate_eligible_on"] == add_months(confirmed, 12).isoformat()
    assert [d["code"] for d in item["due"]] == ["activist_review"]
    talk = body["items"][0]["due"][0]
    assert talk["code"] == "application_talk" and talk["label"] == "党组织派人谈话"
    assert talk["overdue"] is True and talk["what"] == "派人谈话"


def test_pipeline_filters_by_stage_and_organisation(client, world):
    activist(world.ha_b1, months_ago=3)
    applicant(world.ha_b1, days_ago=3)
    applicant(world.ha_b2, days_ago=3)
    make_member(world.ha_b2)  # a full member is not in the pipeline
    headers = office(client, world)
    by_stage = client.get(f"{API}/pipeline?stage=applicant", **headers).json()
    assert by_stage["count"] == 2 and {i["stage"] for i in by_stage["items"]} == {"applicant"}
    by_org = client.get(f"{API}/pipeline?org={world.ha_b2.code}", **headers).json()
    assert by_org["count"] == 1 and by_org["items"][0]["organization"] == world.ha_b2.code
    bad = client.get(f"{API}/pipeline?stage=full", **headers)
    assert bad.status_code == 400 and "未知的阶段" in bad.json()["detail"]


def test_pipeline_is_paginated(client, world):
    for i in range(5):
        applicant(world.ha_b1, days_ago=3, name=f"申请人{i}")
    headers = office(client, world)
    pages = [
        client.get(f"{API}/pipeline?page={n}&page_size=2", **headers).json() for n in (1, 2, 3)
    ]
    assert [page["count"] for page in pages] == [5, 5, 5]
    names = [item["name"] for page in pages for item in page["items"]]
    assert names == [f"申请人{i}" for i in range(5)]
    beyond = client.get(f"{API}/pipeline?page=4&page_size=2", **headers).json()
    assert beyond == {"items": [], "count": 5}


def test_pipeline_query_count_does_not_grow(client, world):
    helpers = sponsors(world.ha_b1)
    headers = office(client, world)

    def grow():
        activist(world.ha_b1, months_ago=8, helpers=helpers)
        applicant(world.ha_b2, days_ago=40)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **headers).status_code == 200
        return len(ctx)

    grow()
    urls = [f"{API}/pipeline?org={world.ha.code}", f"{API}/due?org={world.ha.code}"]
    small = [queries(url) for url in urls]
    for _ in range(4):
        grow()
    assert [queries(url) for url in urls] == small


# ---- the due list --------------------------------------------------------------------
def test_due_lists_what_falls_due_within_the_days_asked(client, world):
    soon = applicant(world.ha_b2, days_ago=10, name="近期乙")  # talk due in about 20 days
    late = applicant(world.ha_b1, days_ago=60, name="逾期甲")
    applicant(world.ha_b1, days_ago=0, name="远期丙")  # due in about a month
    headers = office(client, world)
    body = client.get(f"{API}/due?org={world.ha.code}&days=25", **headers).json()
    assert body["count"] == 2
    first, second = body["items"]
    assert (first["person"], first["overdue"]) == ("逾期甲", True)
    assert (second["person"], second["overdue"]) == ("近期乙", False)
    due_on = add_months(TODAY - dt.timedelta(days=10), 1)
    assert second["id"] == f"{soon.pk}:application_talk:{due_on.isoformat()}"
    assert second["days_left"] == (due_on - TODAY).days and second["stage"] == "applicant"
    assert first["person_id"] == late.pk and first["days_left"] < 0
    only_overdue = client.get(f"{API}/due?org={world.ha.code}&days=1", **headers).json()
    assert [i["person"] for i in only_overdue["items"]] == ["逾期甲"]
    for days in (0, 367):
        bad = client.get(f"{API}/due?days={days}", **headers)
        assert bad.status_code == 400 and "天数须为 1 至 366" in bad.json()["detail"]


# ---- the timeline --------------------------------------------------------------------
def test_the_timeline_lists_imported_and_recorded_steps(client, world):
    helpers = sponsors(world.ha_b1)
    person = imported_activist(world.ha_b1, name="导入甲")
    headers = office(client, world)
    recorded = post_step(client, headers, person, code="candidate_confirmed", done_on=str(TODAY))
    assert recorded.status_code == 201, recorded.json()
    data = StepInput(S.INTRODUCERS_ASSIGNED, TODAY, actor="示例经办人", participants=helpers)
    upload = SimpleUploadedFile("介绍人意见.pdf", b"%PDF-1.4 test", "application/pdf")
    data.documents = [("review", upload)]
    record_step(person, data)

    body = client.get(f"{API}/people/{person.pk}/steps", **headers).json()
    assert (body["id"], body["name"], body["status"]) == (person.pk, "导入甲", "candidate")
    codes = [(s["code"], s["imported"]) for s in body["steps"]]
    assert codes == [
        ("activist_confirmed", True),
        ("candidate_confirmed", False),
        ("introducers_assigned", False),
    ]
    imported, confirmed, introducers = body["steps"]
    assert imported["number"] == 3 and imported["stage"] == "activist"
    assert imported["label"] == "推荐和确定入党积极分子" and imported["vote"] is None
    assert confirmed["stage"] == "candidate" and confirmed["effective_on"] == str(TODAY)
    assert introducers["actor"] == "示例经办人"
    assert introducers["participants"] == [
        {"id": p.pk, "name": p.name, "role": "introducer"} for p in helpers
    ]
    (document,) = introducers["documents"]
    assert document["kind"] == "review" and document["name"] == "介绍人意见.pdf"
    assert document["url"] == reverse("development:document", args=[document["id"]])
    assert body["candidate_eligible_on"] is None and body["probation_ends_on"] is None
    assert AuditEntry.objects.filter(action="development.view", object_id=str(person.pk)).exists()


def test_the_timeline_shows_a_vote_and_the_due_items(client, world):
    helpers = sponsors(world.ha_b1)
    fill_branch(world.ha_b1, 10)
    assembly = add_months(TODAY, -1)
    applied = assembly - (step_dates(TODAY)[S.ASSEMBLY_VOTE] - TODAY)
    person = advance(new_applicant(world.ha_b1), S.COMMITTEE_TALK, applied, helpers)
    body = client.get(f"{API}/people/{person.pk}/steps", **office(client, world)).json()
    vote = next(s for s in body["steps"] if s["code"] == "assembly_vote")["vote"]
    assert vote == {"entitled": 10, "present": 8, "yes": 7, "no": 1, "abstain": 0}
    assert [d["code"] for d in body["due"]] == ["approval"]
    assert body["due"][0]["due_on"] == add_months(assembly, 3).isoformat()


def test_the_timeline_query_count_does_not_grow_with_the_steps(client, world):
    person = activist(world.ha_b1, months_ago=30)
    headers = office(client, world)
    url = f"{API}/people/{person.pk}/steps"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **headers).status_code == 200
        return len(ctx)

    small = queries()
    confirmed = person.development_steps.get(code=S.ACTIVIST_CONFIRMED).done_on
    for months in (6, 12, 18):
        upload = SimpleUploadedFile("考察.pdf", b"%PDF-1.4 test", "application/pdf")
        data = StepInput(S.ACTIVIST_REVIEW, add_months(confirmed, months), actor="示例考察人")
        data.documents = [("review", upload)]
        record_step(person, data)
    assert queries() == small


# ---- recording a step ----------------------------------------------------------------
def test_an_accepted_step_answers_201_with_the_step(client, world):
    person = applicant(world.ha_b1, days_ago=10)
    response = post_step(
        client,
        office(client, world),
        person,
        code="application_talk",
        done_on=str(TODAY),
        actor="示例谈话人",
        note="谈话顺利",
    )
    assert response.status_code == 201
    step = response.json()
    assert step["code"] == "application_talk" and step["number"] == 2
    assert (step["actor"], step["note"], step["late_note"]) == ("示例谈话人", "谈话顺利", "")
    assert step["imported"] is False and step["participants"] == []
    saved = person.development_steps.get(code=S.APPLICATION_TALK)
    assert step["id"] == saved.pk and saved.recorded_by == world.user(Role.OFFICE)


def test_a_late_step_is_accepted_and_says_so(client, world):
    person = applicant(world.ha_b1, days_ago=60)
    response = post_step(
        client, office(client, world), person, code="application_talk", done_on=str(TODAY)
    )
    assert response.status_code == 201
    assert "一个月内" in response.json()["late_note"]


def test_a_refused_step_names_the_rule_and_writes_nothing(client, world):
    person = activist(world.ha_b1, months_ago=11)
    before = writes(person)
    response = post_step(
        client, office(client, world), person, code="candidate_confirmed", done_on=str(TODAY)
    )
    assert response.status_code == 400
    body = response.json()
    (reason,) = body["reasons"]
    assert "发展党员工作细则" in reason and "一年以上" in reason
    assert body["detail"] == reason
    assert writes(person) == before


def test_steps_out_of_order_or_unknown_are_refused(client, world):
    person = applicant(world.ha_b1, days_ago=10)
    headers = office(client, world)
    before = writes(person)
    out_of_order = post_step(client, headers, person, code="oath", done_on=str(TODAY))
    assert out_of_order.status_code == 400
    assert "步骤顺序不符" in out_of_order.json()["reasons"][0]
    unknown = post_step(client, headers, person, code="promotion", done_on=str(TODAY))
    assert unknown.status_code == 400 and "未知的发展步骤" in unknown.json()["detail"]
    future = TODAY + dt.timedelta(days=1)
    tomorrow = post_step(client, headers, person, code="application_talk", done_on=str(future))
    assert tomorrow.status_code == 400 and "晚于今天" in tomorrow.json()["detail"]
    assert writes(person) == before


def test_introducers_must_be_visible_full_members(client, world):
    person = imported_activist(world.ha_b1)
    headers = office(client, world)
    assert (
        post_step(client, headers, person, code="candidate_confirmed", done_on=str(TODAY))
    ).status_code == 201
    before = writes(person)
    ours = sponsors(world.ha_b1)
    theirs = sponsors(world.hb_b1, 1)[0]
    hidden = post_step(
        client,
        headers,
        person,
        code="introducers_assigned",
        done_on=str(TODAY),
        participant_ids=[ours[0].pk, theirs.pk],
    )
    assert hidden.status_code == 400
    assert hidden.json()["reasons"] == [f"找不到以下人员，或无权查看：{theirs.pk}"]
    activist_helper = make_member(world.ha_b1, status=Status.ACTIVIST, name="未转正丁")
    not_full = post_step(
        client,
        headers,
        person,
        code="introducers_assigned",
        done_on=str(TODAY),
        participant_ids=[ours[0].pk, activist_helper.pk],
    )
    assert not_full.status_code == 400
    assert any("入党介绍人须为正式党员" in r for r in not_full.json()["reasons"])
    twice = post_step(
        client,
        headers,
        person,
        code="introducers_assigned",
        done_on=str(TODAY),
        participant_ids=[ours[0].pk, ours[0].pk],
    )
    assert twice.status_code == 400 and "入党介绍人重复" in twice.json()["reasons"]
    assert writes(person) == before
    accepted = post_step(
        client,
        headers,
        person,
        code="introducers_assigned",
        done_on=str(TODAY),
        participant_ids=[p.pk for p in ours],
    )
    assert accepted.status_code == 201
    assert [p["id"] for p in accepted.json()["participants"]] == [p.pk for p in ours]


def _awaiting_vote(world):
    """Everything up to the application form, with the training within the last year."""
    applied = TODAY - dt.timedelta(days=700)
    helpers = sponsors(world.ha_b1)
    fill_branch(world.ha_b1, 10)  # the tallies below name 10 entitled
    return advance(new_applicant(world.ha_b1), S.APPLICATION_FORM, applied, helpers)


def test_an_assembly_vote_without_quorum_is_refused_and_a_lawful_one_kept(client, world):
    person = _awaiting_vote(world)
    headers = office(client, world)
    before = writes(person)
    no_quorum = {"entitled": 10, "present": 5, "yes": 5, "no": 0, "abstain": 0}
    response = post_step(
        client, headers, person, code="assembly_vote", done_on=str(TODAY), vote=no_quorum
    )
    assert response.status_code == 400
    assert any("半数以上有表决权的党员到会" in r for r in response.json()["reasons"])
    bad_sum = {"entitled": 10, "present": 8, "yes": 5, "no": 1, "abstain": 0}
    response = post_step(
        client, headers, person, code="assembly_vote", done_on=str(TODAY), vote=bad_sum
    )
    assert response.status_code == 400 and "表决票数不符" in response.json()["detail"]
    missing = post_step(client, headers, person, code="assembly_vote", done_on=str(TODAY))
    assert missing.status_code == 400 and "须登记表决结果" in missing.json()["detail"]
    assert writes(person) == before
    lawful = {"entitled": 10, "present": 8, "yes": 7, "no": 1, "abstain": 0}
    response = post_step(
        client, headers, person, code="assembly_vote", done_on=str(TODAY), vote=lawful
    )
    assert response.status_code == 201 and response.json()["vote"] == lawful


def test_figures_a_step_does_not_carry_or_out_of_range_are_refused(client, world):
    person = applicant(world.ha_b1, days_ago=10)
    headers = office(client, world)
    before = writes(person)
    response = post_step(
        client,
        headers,
        person,
        code="application_talk",
        done_on=str(TODAY),
        training_days=3,
        extension_months=6,
        vote={"entitled": 1, "present": 1, "yes": 1, "no": 0, "abstain": 0},
        actor="长" * 101,
    )
    assert response.status_code == 400
    assert response.json()["reasons"] == [
        "“党组织派人谈话”不登记表决结果",
        "“党组织派人谈话”不登记培训天数或学时",
        "“党组织派人谈话”不登记延长月数",
        "经办人/谈话人不能超过 100 个字",
    ]
    negative = post_step(
        client, headers, person, code="application_talk", done_on=str(TODAY), training_days=-1
    )
    assert "培训天数须为 0 至 32767 之间的整数" in negative.json()["reasons"]
    assert writes(person) == before


def test_the_public_notice_and_the_pre_review_after_it(client, world):
    applied = TODAY - dt.timedelta(days=700)
    person = advance(new_applicant(world.ha_b1), S.COMMITTEE_REVIEW, applied, sponsors(world.ha_b1))
    headers = office(client, world)
    start = step_dates(applied)[S.PUBLIC_NOTICE]
    short = post_step(client, headers, person, code="public_notice", done_on=str(start),
                      notice_ends_on=str(start + dt.timedelta(days=2)))  # fmt: skip
    assert short.status_code == 400 and "公示期不少于 5 个工作日" in short.json()["detail"]
    ends = start + dt.timedelta(days=7)
    done = post_step(client, headers, person, code="public_notice", done_on=str(start),
                     notice_ends_on=str(ends), objections="有同事反映其考勤问题")  # fmt: skip
    assert done.status_code == 201
    assert done.json()["notice_ends_on"] == ends.isoformat()
    assert done.json()["objections"] == "有同事反映其考勤问题"
    early = post_step(client, headers, person, code="pre_review", done_on=str(ends))
    assert early.status_code == 400 and "公示期满后" in early.json()["detail"]
    later = ends + dt.timedelta(days=1)
    review = post_step(client, headers, person, code="pre_review", done_on=str(later))
    assert review.status_code == 201 and "有同事反映其考勤问题" in review.json()["late_note"]
    misplaced = post_step(client, headers, person, code="application_form", done_on=str(later),
                          notice_ends_on=str(later))  # fmt: skip
    assert misplaced.status_code == 400 and "不登记公示截止日期" in misplaced.json()["detail"]
