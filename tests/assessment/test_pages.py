"""The bulletin page, its download and publication through the notices, and the API:
hospital A's office sees and publishes, hospital B's gets 404 everywhere; query counts do
not grow with the organisations a bulletin names."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from dangjian.accounts.models import Role
from dangjian.assessment.models import PublishedBulletin
from dangjian.core.models import Notice
from dangjian.notices.models import Announcement, Receipt
from dangjian.orgs.models import Organization, OrgKind
from tests.assessment.scenario import known_gaps
from tests.factories import add_org, api_auth, make_member, make_user
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
PERIOD = "2024-Q1"


def page_url(world, name="assessment:bulletin"):
    return f"{reverse(name)}?org={world.ha.code}&period={PERIOD}"


def small_branches(world, n):
    """n more branches with one member each: each is too small, so each is a laggard."""
    start = Organization.objects.filter(code__startswith="HA-X").count()
    for i in range(start, start + n):
        branch = add_org(world.ha, f"HA-X{i}", OrgKind.BRANCH, f"甲院第{i}党支部")
        make_member(branch)
        world.ha.refresh_from_db()


class TestBulletinPage(ScopedPageTest):
    expected_text = ("党政管理通报", "2024年第一季度", "存在的问题", "甲院第0党支部", "发布通报")

    def url(self, world):
        return page_url(world)

    def grow(self, world, n):
        small_branches(world, n)


class TestBulletinPageForGuidance(ScopedPageTest):
    viewer_role = Role.GUIDANCE
    viewer_hospital = "CITY"
    expected_text = ("党政管理通报", "甲院第0党支部")

    def url(self, world):
        return page_url(world)

    def grow(self, world, n):
        small_branches(world, n)

    def test_other_hospital_cannot_see_it(self, client, world):
        """Another hospital's office (the guidance committee covers both)."""
        self.grow(world, 1)
        client.force_login(world.user(Role.OFFICE, "B"))
        assert client.get(self.url(world)).status_code == 404


class TestBulletinDownload(ScopedPageTest):
    def url(self, world):
        return page_url(world, "assessment:bulletin_download")

    def grow(self, world, n):
        small_branches(world, n)


def test_the_download_is_the_bulletin_as_docx(client, world):
    known_gaps(world)
    client.force_login(world.user(Role.OFFICE))
    response = client.get(page_url(world, "assessment:bulletin_download"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "HA心内科党支部：正式党员仅 2 名" in text


def test_the_menu_leads_office_and_guidance_to_the_bulletin(client, world):
    for role, hospital in ((Role.OFFICE, "A"), (Role.GUIDANCE, "CITY")):
        client.force_login(world.user(role, hospital))
        assert (
            reverse("assessment:bulletin") in client.get(reverse("dashboard:home")).content.decode()
        )


def test_publish_sends_the_docx_to_the_officers_with_receipts(client, world):
    known_gaps(world)
    secretary = world.user(Role.SECRETARY, "A")
    office = world.user(Role.OFFICE)
    client.force_login(office)
    response = client.post(
        page_url(world, "assessment:bulletin_publish"),
        {"period": PERIOD, "audience": "officers"},
    )
    assert response.status_code == 302
    published = PublishedBulletin.objects.get()
    assert published.period == PERIOD and published.organization == world.ha
    assert [lag["org"] for lag in published.content["laggards"]] == ["HA", "HA-B1"]
    announcement = published.announcement
    assert announcement.title == "HA医院党委2024年第一季度党政管理通报"
    [attachment] = announcement.attachments.all()
    assert attachment.original_name == "党政管理通报-HA-2024-Q1.docx"
    assert "HA心内科党支部" in "\n".join(
        p.text for p in Document(attachment.file.open("rb")).paragraphs
    )
    receivers = set(
        Receipt.objects.filter(announcement=announcement).values_list("user", flat=True)
    )
    assert secretary.pk in receivers and office.pk not in receivers  # not to its author
    assert Notice.objects.filter(recipient=secretary, title=announcement.title).exists()
    page = client.get(page_url(world)).content.decode()
    assert "已发布的通报（1）" in page and f"0 / {len(receivers)}" in page


def test_an_edited_copy_is_sent_instead_and_a_wrong_file_is_refused(client, world):
    known_gaps(world)
    world.user(Role.SECRETARY, "A")
    client.force_login(world.user(Role.OFFICE))
    url = page_url(world, "assessment:bulletin_publish")
    wrong = SimpleUploadedFile("通报.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url, {"period": PERIOD, "audience": "officers", "edited": wrong})
    assert response.status_code == 200
    assert "修改后的通报须为 .docx 文件" in response.content.decode()
    assert not PublishedBulletin.objects.exists() and not Announcement.objects.exists()
    edited = SimpleUploadedFile("改定稿.docx", b"PK edited", content_type="application/zip")
    response = client.post(url, {"period": PERIOD, "audience": "members", "edited": edited})
    assert response.status_code == 302
    announcement = PublishedBulletin.objects.get().announcement
    assert announcement.audience == "members"
    assert announcement.attachments.get().original_name == "改定稿.docx"


def test_a_running_period_is_refused_and_nothing_published(client, world):
    client.force_login(world.user(Role.OFFICE))
    response = client.post(
        page_url(world, "assessment:bulletin_publish"),
        {"period": "2099-Q1", "audience": "officers"},
    )
    assert "2099年第一季度尚未结束，不能生成通报" in response.content.decode()
    assert not Announcement.objects.exists()


def test_another_hospital_cannot_publish_or_download(client, world):
    client.force_login(world.user(Role.OFFICE, "B"))
    response = client.post(
        page_url(world, "assessment:bulletin_publish"), {"period": PERIOD, "audience": "officers"}
    )
    assert response.status_code == 404
    assert client.get(page_url(world, "assessment:bulletin_download")).status_code == 404
    assert not Announcement.objects.exists()


def test_a_member_may_not_read_the_bulletin(client, world):
    member = make_member(world.ha_b1)
    member.user = make_user("m-a", Role.MEMBER, world.ha_b1)
    member.save(update_fields=["user"])
    client.force_login(member.user)
    assert client.get(page_url(world)).status_code in (403, 404)


# ---- API ---------------------------------------------------------------------------
def test_api_lists_published_bulletins_and_previews_with_scope(client, world):
    known_gaps(world)
    world.user(Role.SECRETARY, "A")
    client.force_login(world.user(Role.OFFICE))
    client.post(
        page_url(world, "assessment:bulletin_publish"), {"period": PERIOD, "audience": "officers"}
    )
    client.logout()
    auth = api_auth(client, world.user(Role.OFFICE))
    body = client.get(f"/api/v1/bulletins?org={world.ha.code}", **auth).json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["org"] == "HA" and item["period"] == PERIOD and item["read"] == 0
    assert item["addressees"] == 1  # the secretary; the office that published is the author
    detail = client.get(f"/api/v1/bulletins/{item['id']}", **auth).json()
    assert [lag["org"] for lag in detail["content"]["laggards"]] == ["HA", "HA-B1"]
    preview = client.get(f"/api/v1/bulletins/preview?org=HA&period={PERIOD}", **auth).json()
    assert preview["checked_on"] == "2024-04-01"
    assert [p["org"] for p in preview["praised"]] == ["HA-B2"]
    bad = client.get("/api/v1/bulletins/preview?org=HA&period=2024-Q9", **auth)
    assert bad.status_code == 400 and "通报期间格式应为" in bad.json()["detail"]

    other = api_auth(client, world.user(Role.OFFICE, "B"))
    assert client.get(f"/api/v1/bulletins?org={world.ha.code}", **other).status_code == 404
    assert client.get(f"/api/v1/bulletins/{item['id']}", **other).status_code == 404
    assert (
        client.get(f"/api/v1/bulletins/preview?org=HA&period={PERIOD}", **other).status_code == 404
    )
    assert client.get("/api/v1/bulletins", **other).json()["count"] == 0
    assert client.get("/api/v1/bulletins").status_code == 401


class TestScoresPage(ScopedPageTest):
    expected_text = ("党支部考核评分", "甲院第0党支部", "组织生活按期开展率")

    def url(self, world):
        return page_url(world, "assessment:scores")

    def grow(self, world, n):
        small_branches(world, n)


def test_scores_page_ranks_with_reasons(client, world):
    known_gaps(world)
    client.force_login(world.user(Role.OFFICE))
    page = client.get(page_url(world, "assessment:scores")).content.decode()
    assert page.index("HA行政党支部") < page.index("HA心内科党支部")
    assert "逾期未销号任务 1 项" in page
    refused = client.get(f"{reverse('assessment:scores')}?org=HA&period=2099").content.decode()
    assert "2099年度尚未结束，不能评分" in refused
