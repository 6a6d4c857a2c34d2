"""The city version of the bulletin (issue 20): for a guidance committee the hospitals
lagging are exactly those in whose subtree `check --on` the day after the period finds
something, each with its reasons counted by rule; a hospital with no finding is praised
with what it did; every hospital is compared on the figure families; the .docx opens in
LibreOffice; publishing reaches the hospitals' Party workers with read receipts; scoped."""

import datetime as dt
import io
import json
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import urlencode

from dangjian.accounts.models import Role
from dangjian.assessment.city_bulletin import build_city_bulletin, is_city
from dangjian.assessment.models import PublishedBulletin
from dangjian.assessment.rules import parse_period
from dangjian.core.datacache import unit_of
from dangjian.meetings.models import Study, StudyKind
from dangjian.notices.models import Receipt
from dangjian.orgs.models import Organization
from dangjian.service.models import ServiceActivity
from tests.assessment.scenario import FOUNDED, good_quarter, known_gaps
from tests.office import pdf_text, to_pdf

pytestmark = pytest.mark.django_db
D = dt.date
PERIOD = "2024-Q1"


def city_scenario(world):
    """HA with the known gaps of scenario.py; HB whose two branches did everything: the
    meetings, 8 class hours a member (the quarter's 24 for three) and a volunteer
    activity each, so both score 100."""
    known_gaps(world)
    Organization.objects.filter(pk__in=(world.hb_b1.pk, world.hb_b2.pk)).update(founded_on=FOUNDED)
    for branch in (world.hb_b1, world.hb_b2):
        branch.refresh_from_db()
        for person in good_quarter(branch):
            Study.objects.create(
                person=person, kind=StudyKind.SELF_STUDY, title="党章", studied_on=D(2024, 2, 1),
                hours=8,
            )  # fmt: skip
        ServiceActivity.objects.create(
            organization=branch, kind="clinic", title="义诊", held_on=D(2024, 3, 6),
            people_served=10,
        )  # fmt: skip
    return Organization.objects.get(pk=world.guidance.pk)


def check_by_hospital(code: str, on: str) -> dict[str, list[str]]:
    out = io.StringIO()
    call_command("check", "--org", code, "--on", on, "--json", stdout=out)
    paths = dict(Organization.objects.values_list("code", "path"))
    names = dict(Organization.objects.values_list("path", "name"))
    found: dict[str, list[str]] = defaultdict(list)
    for row in json.loads(out.getvalue()):
        found[names[unit_of(paths[row["org"]])]].append(row["message"])
    return found


def test_the_hospitals_lagging_are_exactly_those_check_finds_with_the_reasons(world):
    city = city_scenario(world)
    assert is_city(city) and not is_city(world.ha)
    bulletin = build_city_bulletin(city, parse_period(PERIOD))
    reported = check_by_hospital("CITY", "2024-04-01")
    assert reported  # the scenario has known gaps
    assert {lag.name for lag in bulletin.laggards} == set(reported)
    for lag in bulletin.laggards:
        assert sorted(f.message for f in lag.findings) == sorted(reported[lag.name])
        # Every finding is counted under its rule, with an example quoted.
        assert sum(rule.count for rule in lag.by_rule) == len(lag.findings)
        assert all(rule.examples for rule in lag.by_rule)
    ha, hb = bulletin.laggards
    assert (ha.code, hb.code) == ("HA", "HB")
    # HB is only reminded (a committee of 6 members where a branch would do).
    assert hb.red == 0 and [r.kind for r in hb.by_rule] == ["org_form_mismatch"]
    texts = "\n".join(ha.reasons)
    assert "正式党员不足 3 名 1 项" in texts and "任务逾期未销号 1 项" in texts


def test_a_hospital_scored_green_is_praised_with_what_it_did(world):
    city = city_scenario(world)
    bulletin = build_city_bulletin(city, parse_period(PERIOD))
    assert [p.organization.code for p in bulletin.praised] == ["HB"]  # HA is not green
    assert bulletin.praised[0].score == 100.0
    deeds = "；".join(bulletin.praised[0].deeds)
    assert "党支部考核平均 100.0 分" in deeds
    assert "组织生活按期开展的支部 2 / 2（100.0%）" in deeds
    assert "开展志愿服务 2 场、服务群众 20 人次" in deeds
    assert "合规检查无严重问题（提醒 1 项" in deeds  # its committee of 6 members
    [overdue] = bulletin.overdue_by_hospital
    assert (overdue.name, overdue.count) == ("HA医院党委", 1)
    assert "完成支部品牌创建方案" in overdue.examples[0]


def test_every_hospital_is_compared_and_dash_marks_no_record(world):
    city = city_scenario(world)
    bulletin = build_city_bulletin(city, parse_period(PERIOD))
    header, rows = bulletin.table_header, bulletin.table_rows
    assert [row[0] for row in rows] == ["HA医院党委", "HB医院党委", "全市"]
    ha, hb, total = (dict(zip(header, row, strict=True)) for row in rows)
    assert ha["逾期任务"] == "1" and hb["逾期任务"] == "—"  # HB has no task at all
    assert hb["党费按月交纳率"] == "—"  # no dues bills in the scenario
    assert hb["组织生活按期开展的支部"] == "100.0%" and ha["组织生活按期开展的支部"] == "50.0%"
    assert float(hb["考核平均分"]) > float(ha["考核平均分"])
    assert total["组织生活按期开展的支部"] == "75.0%"


def test_the_command_writes_a_docx_that_libreoffice_opens(world, tmp_path):
    city_scenario(world)
    target = tmp_path / "全市通报.docx"
    out = io.StringIO()
    call_command("bulletin", "--org", "CITY", "--period", PERIOD, "-o", str(target), stdout=out)
    assert "表扬 1 家医院，通报 2 家医院" in out.getvalue()
    text = pdf_text(to_pdf(target.read_bytes(), ".docx", tmp_path))
    flat = "".join(text.split())
    assert "公立医院党建工作通报" in flat and "2024年第一季度" in flat
    for words in (
        "各医院比较",
        "HB医院党委",
        "表扬",
        "存在的问题",
        "正式党员不足3名",
        "完成支部品牌创建方案",
    ):
        assert words in flat, words


def test_the_hospital_version_is_unchanged(world, tmp_path):
    known_gaps(world)
    target = tmp_path / "通报.docx"
    out = io.StringIO()
    call_command("bulletin", "--org", "HA", "--period", PERIOD, "-o", str(target), stdout=out)
    assert "个党支部" in out.getvalue() and "家医院" not in out.getvalue()


def _url(name="assessment:bulletin", **extra):
    return f"{reverse(name)}?{urlencode({'org': 'CITY', 'period': PERIOD, **extra})}"


def test_the_committee_reads_and_publishes_it_to_the_hospitals_party_workers(client, world):
    city_scenario(world)
    office_a, office_b = world.user(Role.OFFICE, "A"), world.user(Role.OFFICE, "B")
    secretary = world.user(Role.SECRETARY, "A")
    guidance = world.user(Role.GUIDANCE, "CITY")
    client.force_login(guidance)
    page = client.get(_url()).content.decode()
    assert 'id="city-bulletin"' in page and 'id="city-bulletin-hospitals"' in page
    assert 'data-dj-sort="9"' in page and "正式党员不足 3 名 1 项" in page
    download = client.get(_url("assessment:bulletin_download"))
    assert download["Content-Disposition"].endswith("CITY-2024-Q1.docx")
    # Not to every member of the city.
    refused = client.post(
        _url("assessment:bulletin_publish"), {"period": PERIOD, "audience": "members"}
    )
    assert "全市通报只发送各医院党务工作者" in refused.content.decode()
    assert not PublishedBulletin.objects.exists()
    response = client.post(
        _url("assessment:bulletin_publish"), {"period": PERIOD, "audience": "officers"}
    )
    assert response.status_code == 302
    published = PublishedBulletin.objects.get()
    assert published.content["city"] is True
    assert [lag["name"] for lag in published.content["laggards"]] == ["HA医院党委", "HB医院党委"]
    assert (
        published.announcement.title
        == "示例市医院党建工作指导委员会2024年第一季度公立医院党建工作通报"
    )
    receivers = set(
        Receipt.objects.filter(announcement=published.announcement).values_list("user", flat=True)
    )
    assert {office_a.pk, office_b.pk, secretary.pk} <= receivers and guidance.pk not in receivers


def test_a_hospital_office_cannot_read_download_or_publish_the_city_bulletin(client, world):
    city_scenario(world)
    client.force_login(world.user(Role.OFFICE, "A"))
    assert client.get(_url()).status_code == 404
    assert client.get(_url("assessment:bulletin_download")).status_code == 404
    response = client.post(
        _url("assessment:bulletin_publish"), {"period": PERIOD, "audience": "officers"}
    )
    assert response.status_code == 404
    assert not PublishedBulletin.objects.exists()


def test_the_city_bulletin_costs_the_same_for_more_hospitals(world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import hospital_tree

    city = city_scenario(world)
    period = parse_period(PERIOD)
    city.refresh_from_db()
    hospital_tree("HX9", city)  # a hospital with findings of every kind a new one has
    city.refresh_from_db()
    build_city_bulletin(city, period)
    with CaptureQueriesContext(connection) as few:
        build_city_bulletin(city, period)
    for n in range(4):
        city.refresh_from_db()
        hospital_tree(f"HX{n}", city)
    city.refresh_from_db()
    build_city_bulletin(city, period)
    with django_assert_max_num_queries(len(few.captured_queries)):
        build_city_bulletin(city, period)
