"""The development pages: board, due list, timeline, step form, branch vote form and
document download. Each renders for hospital A's office, does not exist for hospital B,
keeps a fixed query count, and shows the rules' refusals without writing anything."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts.models import Role
from dangjian.core.dates import add_months
from dangjian.core.models import AuditEntry
from dangjian.development.models import DevelopmentStep, StepDocument
from dangjian.development.services import StepInput, record_step
from dangjian.development.steps import StepCode
from dangjian.people.models import Status, StatusPeriod
from tests.factories import make_member, make_user
from tests.pages.scoped import ScopedPageTest

from .builders import advance, new_applicant, sponsors

pytestmark = pytest.mark.django_db
S = StepCode
TODAY = timezone.localdate()


def helpers_of(world, org):
    """Two full members of `org`, made once, to serve as cultivators and introducers."""
    pool = world.__dict__.setdefault("helpers", {})
    if org.pk not in pool:
        pool[org.pk] = sponsors(org)
    return pool[org.pk]


def activist(world, org, months_ago: int = 11, through=S.CULTIVATORS_ASSIGNED, **person):
    """An activist confirmed `months_ago` months ago, filed and with cultivators."""
    confirmed = add_months(TODAY, -months_ago)
    applied = confirmed - dt.timedelta(days=40)
    return advance(new_applicant(org, **person), through, applied, helpers_of(world, org))


def applicant(org, days_ago: int, **person):
    person = new_applicant(org, **person)
    day = TODAY - dt.timedelta(days=days_ago)
    record_step(person, StepInput(S.APPLICATION, day), today=day)
    return person


# The vote must fall within a year of the training: applications 700 days ago put the
# training about 260 days back and the application form about 235 days back.
VOTE_APPLIED = TODAY - dt.timedelta(days=700)


def awaiting_vote(world, org, **person):
    person = new_applicant(org, **person)
    return advance(person, S.APPLICATION_FORM, VOTE_APPLIED, helpers_of(world, org))


def steps_of(person) -> list[str]:
    return list(person.development_steps.values_list("code", flat=True))


# ---- every page: renders in A, 404 in B, fixed query count ---------------------------
class TestBoard(ScopedPageTest):
    expected_text = (
        "发展党员",
        "入党积极分子",
        "入党申请人",
        "HA心内科党支部",
        "可列为发展对象日期",
    )

    def url(self, world):
        return reverse("development:board") + f"?org={world.ha.code}"

    def grow(self, world, n):
        for _ in range(n):
            activist(world, world.ha_b1)
            applicant(world.ha_b2, days_ago=45)


class TestBoardDefaultOrganisation(TestBoard):
    outsider_status = 200

    def url(self, world):
        return reverse("development:board")

    def private_text(self, world):
        return "HA心内科党支部"


class TestBoardOneStage(TestBoard):
    expected_text = ("入党积极分子", "HA心内科党支部")

    def url(self, world):
        return reverse("development:board") + f"?org={world.ha.code}&stage=activist"


class TestDueList(ScopedPageTest):
    expected_text = ("近期到期事项", "派人谈话", "已逾期", "HA行政党支部")

    def url(self, world):
        return reverse("development:due") + f"?org={world.ha.code}&days=30"

    def grow(self, world, n):
        for _ in range(n):
            applicant(world.ha_b2, days_ago=10)  # talk due in 20 days
            applicant(world.ha_b2, days_ago=60)  # talk overdue
            activist(world, world.ha_b1, months_ago=7, through=S.ACTIVIST_CONFIRMED)


def _timeline_person(world):
    if not hasattr(world, "person"):
        world.person = activist(world, world.ha_b1, months_ago=30, name="张示例")
    return world.person


class TestTimeline(ScopedPageTest):
    expected_text = ("张示例", "递交入党申请书", "培养联系人", "确定入党介绍人", "半年培养考察")

    def url(self, world):
        return reverse("development:person", args=[_timeline_person(world).pk])

    def grow(self, world, n):
        person = _timeline_person(world)
        confirmed = person.development_steps.get(code=S.ACTIVIST_CONFIRMED).done_on
        for _ in range(n):
            day = confirmed + dt.timedelta(days=person.development_steps.count())
            upload = SimpleUploadedFile("考察.pdf", b"%PDF-1.4 test", "application/pdf")
            data = StepInput(S.ACTIVIST_REVIEW, day, actor="示例考察人")
            data.documents = [("review", upload)]
            record_step(person, data)


class TestRecordForm(ScopedPageTest):
    expected_text = ("指定培养联系人", "办理日期", "上传材料")

    def url(self, world):
        if not hasattr(world, "filed"):
            world.filed = activist(world, world.ha_b1, months_ago=3, through=S.ACTIVIST_FILED)
        return reverse("development:record", args=[world.filed.pk]) + "?code=cultivators_assigned"

    def grow(self, world, n):
        for _ in range(n):
            make_member(world.ha_b1)
            make_member(world.ha_b2)


class TestRecordChoice(TestRecordForm):
    expected_text = ("发展步骤", "指定培养联系人")

    def url(self, world):
        return super().url(world).split("?")[0]


class TestVoteForm(ScopedPageTest):
    expected_text = ("支部党员大会表决", "支部党员大会讨论接收预备党员")

    def url(self, world):
        return reverse("development:vote", args=[world.ha_b1.code])

    def grow(self, world, n):
        for _ in range(n):
            awaiting_vote(world, world.ha_b1)
            make_member(world.ha_b1)


# ---- the board -----------------------------------------------------------------------
def test_board_counts_each_stage_and_shows_when_an_activist_may_become_a_candidate(client, world):
    first = activist(world, world.ha_b1, months_ago=11)
    activist(world, world.ha_b2, months_ago=20)
    applicant(world.ha_b2, days_ago=45)  # the talk is overdue
    make_member(world.ha_b1, status=Status.PROBATIONARY)
    make_member(world.hb_b1, status=Status.ACTIVIST)  # another hospital: not counted
    client.force_login(world.user(Role.OFFICE))
    response = client.get(reverse("development:board") + f"?org={world.ha.code}")
    counts = {s["code"]: s["count"] for s in response.context["stages"]}
    assert counts == {"applicant": 1, "activist": 2, "candidate": 0, "probationary": 1}
    page = response.content.decode()
    row = next(r for r in response.context["rows"] if r.person.pk == first.pk)
    eligible = row.candidate_eligible_on
    assert eligible == add_months(add_months(TODAY, -11), 12)
    assert eligible.isoformat() in page
    assert row.days == (TODAY - add_months(TODAY, -11)).days
    assert "text-danger" in page and "派人谈话" in page

    response = client.get(reverse("development:board") + f"?org={world.ha.code}&stage=activist")
    assert {r.status for r in response.context["rows"]} == {"activist"}


def test_a_secretary_sees_only_the_own_branch(client, world):
    mine = activist(world, world.ha_b1, name="本支部甲")
    activist(world, world.ha_b2, name="他支部乙")
    secretary = make_user("secretary-b1", Role.SECRETARY, world.ha_b1)
    client.force_login(secretary)
    page = client.get(reverse("development:board")).content.decode()
    assert mine.name in page and "他支部乙" not in page
    response = client.get(reverse("development:board") + f"?org={world.ha_b2.code}")
    assert response.status_code == 404


# ---- the due list --------------------------------------------------------------------
def test_due_list_puts_overdue_first_and_sums_per_branch(client, world):
    applicant(world.ha_b2, days_ago=10, name="近期乙")
    applicant(world.ha_b1, days_ago=60, name="逾期甲")
    applicant(world.ha_b1, days_ago=0, name="远期丙")
    client.force_login(world.user(Role.OFFICE))
    response = client.get(reverse("development:due") + f"?org={world.ha.code}&days=25")
    names = [e.person.name for e in response.context["page"]]
    assert names == ["逾期甲", "近期乙"]  # 远期丙's talk is due in 31 days
    assert response.context["page"][0].overdue
    children = {c.code: (c.due_count, c.overdue_count) for c in response.context["children"]}
    assert children == {world.ha_b1.code: (1, 1), world.ha_b2.code: (1, 0)}

    branch = client.get(reverse("development:due") + f"?org={world.ha_b2.code}")
    assert [e.person.name for e in branch.context["page"]] == ["近期乙"]

    bad = client.get(reverse("development:due") + f"?org={world.ha.code}&days=abc")
    assert bad.context["days"] == 30 and "已按 30 天显示" in bad.content.decode()
    too_far = client.get(reverse("development:due") + f"?org={world.ha.code}&days=999")
    assert too_far.context["days"] == 30 and "366" in too_far.content.decode()


# ---- the timeline --------------------------------------------------------------------
def test_reading_a_timeline_is_audited_and_shows_flags_and_imports(client, world):
    person = applicant(world.ha_b1, days_ago=60)
    talk = record_step(person, StepInput(S.APPLICATION_TALK, TODAY, actor="示例谈话人"))
    imported = make_member(world.ha_b1, status=Status.ACTIVIST, since=dt.date(2020, 3, 1))
    DevelopmentStep.objects.create(
        person=imported,
        organization=world.ha_b1,
        code=S.ACTIVIST_CONFIRMED,
        done_on=dt.date(2020, 3, 1),
        effective_on=dt.date(2020, 3, 1),
        imported=True,
    )
    office = world.user(Role.OFFICE)
    client.force_login(office)
    page = client.get(reverse("development:person", args=[person.pk])).content.decode()
    assert "逾期" in page and "一个月内" in page and "示例谈话人" in page
    assert reverse("development:step_form", args=[talk.pk]) in page  # the talk record .docx
    assert AuditEntry.objects.filter(
        action="development.view", object_id=str(person.pk), actor=office
    ).exists()
    page = client.get(reverse("development:person", args=[imported.pk])).content.decode()
    assert "名册导入" in page and "已包含在名册导入的历史记录中" in page


# ---- recording a step ----------------------------------------------------------------
def _post_step(client, person, code, **fields):
    data = {"doc-TOTAL_FORMS": "2", "doc-INITIAL_FORMS": "0", **fields}
    url = reverse("development:record", args=[person.pk]) + f"?code={code}"
    return client.post(url, data)


def test_the_step_select_offers_only_steps_whose_requirements_are_met(client, world):
    person = activist(world, world.ha_b1)
    client.force_login(world.user(Role.OFFICE))
    response = client.get(reverse("development:record", args=[person.pk]))
    offered = {code for code, _ in response.context["choice"].fields["code"].choices}
    assert offered == {S.ACTIVIST_REVIEW, S.CANDIDATE_CONFIRMED}

    blocked = client.get(
        reverse("development:record", args=[person.pk]) + "?code=introducers_assigned"
    )
    assert "须先完成" in blocked.content.decode() and "form" not in blocked.context


def _step_audits() -> int:
    return AuditEntry.objects.filter(action="development.step").count()


def test_a_candidate_less_than_a_year_after_activist_is_refused_and_nothing_written(client, world):
    person = activist(world, world.ha_b1, months_ago=11)
    before = (steps_of(person), DevelopmentStep.objects.count(), _step_audits())
    client.force_login(world.user(Role.OFFICE))
    response = _post_step(client, person, S.CANDIDATE_CONFIRMED, done_on=TODAY.isoformat())
    assert response.status_code == 200
    page = response.content.decode()
    assert "入党积极分子经过一年以上培养教育和考察，方可列为发展对象" in page
    assert (steps_of(person), DevelopmentStep.objects.count(), _step_audits()) == before
    assert StatusPeriod.objects.get(person=person, ended_on__isnull=True).status == "activist"


def test_a_late_talk_is_accepted_with_a_warning(client, world):
    person = applicant(world.ha_b1, days_ago=45)
    client.force_login(world.user(Role.OFFICE))
    response = _post_step(
        client, person, S.APPLICATION_TALK, done_on=TODAY.isoformat(), actor="示例谈话人"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("development:person", args=[person.pk])
    page = client.get(response["Location"]).content.decode()
    assert "已登记，但逾期" in page and "一个月内派人谈话" in page
    step = person.development_steps.get(code=S.APPLICATION_TALK)
    assert step.is_late and step.actor == "示例谈话人"


def test_cultivators_and_documents_are_recorded_and_downloadable(client, world):
    person = activist(world, world.ha_b1, months_ago=3, through=S.ACTIVIST_FILED)
    cultivators = helpers_of(world, world.ha_b1)
    client.force_login(world.user(Role.OFFICE))
    upload = SimpleUploadedFile("培养记录.pdf", b"%PDF-1.4 fictitious", "application/pdf")
    url = reverse("development:record", args=[person.pk]) + "?code=cultivators_assigned"
    response = client.post(
        url,
        {
            "done_on": TODAY.isoformat(),
            "participants": [p.pk for p in cultivators],
            "doc-TOTAL_FORMS": "2",
            "doc-INITIAL_FORMS": "0",
            "doc-0-kind": "review",
            "doc-0-file": upload,
            "doc-1-kind": "other",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    step = person.development_steps.get(code=S.CULTIVATORS_ASSIGNED)
    assert {p.person_id for p in step.participants.all()} == {p.pk for p in cultivators}
    doc = step.documents.get()
    assert (doc.kind, doc.original_name) == ("review", "培养记录.pdf")
    page = client.get(response["Location"]).content.decode()
    assert reverse("development:document", args=[doc.pk]) in page


def test_too_few_cultivators_is_refused_naming_the_rule(client, world):
    person = activist(world, world.ha_b1, months_ago=3, through=S.ACTIVIST_FILED)
    client.force_login(world.user(Role.OFFICE))
    response = _post_step(client, person, S.CULTIVATORS_ASSIGNED, done_on=TODAY.isoformat())
    assert "须由1至2名正式党员担任培养联系人" in response.content.decode()
    assert S.CULTIVATORS_ASSIGNED not in steps_of(person)


def test_a_bad_upload_is_refused_before_anything_is_written(client, world):
    person = applicant(world.ha_b1, days_ago=5)
    client.force_login(world.user(Role.OFFICE))
    bad = SimpleUploadedFile("脚本.exe", b"MZ", "application/octet-stream")
    url = reverse("development:record", args=[person.pk]) + "?code=application_talk"
    response = client.post(
        url,
        {
            "done_on": TODAY.isoformat(),
            "doc-TOTAL_FORMS": "1",
            "doc-INITIAL_FORMS": "0",
            "doc-0-kind": "other",
            "doc-0-file": bad,
        },
    )
    assert response.status_code == 200
    assert S.APPLICATION_TALK not in steps_of(person)


def test_only_writers_may_use_the_step_form(client, world):
    person = applicant(world.ha_b1, days_ago=5)
    other = applicant(world.ha_b1, days_ago=5)
    url = reverse("development:record", args=[person.pk]) + "?code=application_talk"
    # A member sees their own record but may not record steps; others do not exist.
    member = make_user("member-self", Role.MEMBER, world.ha_b1)
    person.user = member
    person.save(update_fields=["user"])
    client.force_login(member)
    assert client.get(reverse("development:person", args=[person.pk])).status_code == 200
    assert client.get(url).status_code == 403
    assert (
        _post_step(client, person, S.APPLICATION_TALK, done_on=TODAY.isoformat()).status_code == 403
    )
    assert client.get(reverse("development:record", args=[other.pk])).status_code == 404
    # The guidance committee reads hospital A's people but does not record for them.
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    assert client.get(reverse("development:person", args=[person.pk])).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404
    assert (
        _post_step(client, person, S.APPLICATION_TALK, done_on=TODAY.isoformat()).status_code == 404
    )
    assert S.APPLICATION_TALK not in steps_of(person)


# ---- the branch assembly -------------------------------------------------------------
def _vote_post(rows, day=TODAY, **meeting):
    data = {
        "done_on": day.isoformat(),
        "actor": "示例主持人",
        "tally-TOTAL_FORMS": str(len(rows)),
        "tally-INITIAL_FORMS": str(len(rows)),
        **meeting,
    }
    for i, (person, tally) in enumerate(rows):
        data[f"tally-{i}-person"] = person.pk
        if tally is None:
            continue
        data[f"tally-{i}-include"] = "on"
        for name, value in zip(("entitled", "present", "yes", "no", "abstain"), tally, strict=True):
            data[f"tally-{i}-{name}"] = "" if value is None else value
    return data


def test_the_vote_form_lists_candidates_with_the_branch_full_members_as_entitled(client, world):
    first = awaiting_vote(world, world.ha_b1, name="候选甲")
    activist(world, world.ha_b1, name="积极乙")  # not yet at the vote
    client.force_login(world.user(Role.OFFICE))
    response = client.get(reverse("development:vote", args=[world.ha_b1.code]))
    rows = response.context["rows"]
    assert [candidate.person.pk for _, candidate in rows] == [first.pk]
    full_members = 2  # the two sponsors of the branch
    assert rows[0][0]["entitled"].value() == full_members


def test_the_vote_is_all_or_nothing(client, world):
    first = awaiting_vote(world, world.ha_b1, name="候选甲")
    second = awaiting_vote(world, world.ha_b1, name="候选乙")
    url = reverse("development:vote", args=[world.ha_b1.code])
    client.force_login(world.user(Role.OFFICE))
    failing = (10, 8, 4, 3, 1)  # yes is not more than half of the 10 entitled
    response = client.post(url, _vote_post([(first, (10, 8, 7, 1, 0)), (second, failing)]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "赞成人数须超过应到会有表决权的正式党员的半数" in page
    assert "本次表决均未登记" in page
    assert not DevelopmentStep.objects.filter(code=S.ASSEMBLY_VOTE).exists()

    # 应到 other than the branch's full members that day (2 sponsors) is refused.
    response = client.post(
        url, _vote_post([(first, (None, 2, 2, 0, 0)), (second, (3, 2, 2, 0, 0))])
    )
    assert "登记为 3 名，该日支部正式党员为 2 名" in response.content.decode()
    assert not DevelopmentStep.objects.filter(code=S.ASSEMBLY_VOTE).exists()

    # Entitled left empty: the branch's full members on the day.
    response = client.post(
        url, _vote_post([(first, (None, 2, 2, 0, 0)), (second, (2, 2, 2, 0, 0))])
    )
    assert response.status_code == 302
    votes = {s.person_id: s for s in DevelopmentStep.objects.filter(code=S.ASSEMBLY_VOTE)}
    assert set(votes) == {first.pk, second.pk}
    assert votes[first.pk].entitled_voters == 2 and votes[second.pk].entitled_voters == 2
    assert votes[first.pk].actor == "示例主持人"


def test_the_vote_needs_someone_ticked_and_a_branch_and_write_scope(client, world):
    first = awaiting_vote(world, world.ha_b1)
    url = reverse("development:vote", args=[world.ha_b1.code])
    client.force_login(world.user(Role.OFFICE))
    response = client.post(url, _vote_post([(first, None)]))
    assert "请至少勾选一名表决对象" in response.content.decode()
    assert client.get(reverse("development:vote", args=[world.ha.code])).status_code == 404
    client.force_login(world.user(Role.GUIDANCE, "CITY"))
    assert client.get(url).status_code == 403
    assert client.post(url, _vote_post([(first, (10, 8, 7, 1, 0))])).status_code == 403
    client.force_login(make_user("secretary-b2", Role.SECRETARY, world.ha_b2))
    assert client.get(url).status_code == 404
    assert not DevelopmentStep.objects.filter(code=S.ASSEMBLY_VOTE).exists()


# ---- document download ---------------------------------------------------------------
def test_documents_download_within_scope_only_and_are_audited(client, world):
    person = applicant(world.ha_b1, days_ago=5)
    upload = SimpleUploadedFile("谈话记录.pdf", b"%PDF-1.4 talk", "application/pdf")
    data = StepInput(S.APPLICATION_TALK, TODAY, documents=[("talk_record", upload)])
    record_step(person, data)
    doc = StepDocument.objects.get()
    url = reverse("development:document", args=[doc.pk])

    office = world.user(Role.OFFICE)
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 talk"
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(
        action="development.export", actor=office, object_id=str(person.pk)
    ).exists()

    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(url).status_code == 404
    client.force_login(make_user("secretary-b2", Role.SECRETARY, world.ha_b2))
    assert client.get(url).status_code == 404
    client.force_login(world.user(Role.MEMBER))
    assert client.get(url).status_code == 404
