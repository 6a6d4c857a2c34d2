"""Announcements: who they reach, read receipts, pin and withdraw, refusals that change
nothing, and who may open what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry, Notice
from dangjian.notices import queries, services
from dangjian.notices.models import Announcement, ChannelPreference, Receipt, Webhook
from dangjian.notices.rules import Audience
from dangjian.people.models import Status
from tests.factories import make_member, make_member_user, make_user

pytestmark = pytest.mark.django_db


def publish(org, by, **fields):
    data = services.AnnouncementInput(
        **{"title": "关于开展主题党日的通知", "body": "请各支部于周五前完成。", **fields}
    )
    return services.publish(org, data, by=by)


@pytest.fixture
def hospital(two_hospitals):
    _g, (ha, b1, b2), (hb, hb_b1, _hb_b2) = two_hospitals
    office = make_user("office-a", Role.OFFICE, ha)
    reader = make_member_user(b1, "reader", name="读者甲")
    return ha, b1, b2, office, reader, hb_b1


def test_publishing_reaches_every_current_member_of_the_subtree(hospital):
    ha, b1, b2, office, reader, hb_b1 = hospital
    no_account = make_member(b2, name="无账号乙")
    make_member(b2, status=Status.PROBATIONARY, name="预备丙")
    make_member(b1, status=Status.APPLICANT, name="申请人丁")  # not a member: not addressed
    make_member(hb_b1, name="外院戊")
    item = publish(ha, office)
    names = set(Receipt.objects.filter(announcement=item).values_list("person__name", flat=True))
    assert names == {"读者甲", "无账号乙", "预备丙"}
    assert no_account.name in names
    inbox = Notice.objects.get(recipient=reader.user)
    assert inbox.kind == "announcement"
    assert inbox.link == reverse("notices:detail", args=[item.pk])
    assert AuditEntry.objects.filter(action="notices.publish").exists()


def test_a_list_audience_reaches_only_those_chosen(hospital):
    ha, b1, _b2, office, reader, _hb = hospital
    other = make_member(b1, name="其他")
    item = publish(ha, office, audience=Audience.LIST, people=[reader])
    assert list(item.receipts.values_list("person_id", flat=True)) == [reader.pk]
    assert not Receipt.objects.filter(person=other).exists()


def test_a_list_naming_someone_outside_the_organisation_is_refused(hospital):
    ha, b1, _b2, office, reader, hb_b1 = hospital
    outsider = make_member(hb_b1, name="外院戊")
    with pytest.raises(services.NoticeError, match="外院戊不在"):
        publish(b1, office, audience=Audience.LIST, people=[reader, outsider])
    assert not Announcement.objects.exists()
    assert not Notice.objects.exists()


def test_officers_audience_reaches_the_party_workers_but_not_the_author(hospital):
    ha, b1, _b2, office, _reader, _hb = hospital
    secretary = make_user("sec-b1", Role.SECRETARY, b1)
    item = publish(ha, office, audience=Audience.OFFICERS)
    other_office = make_user("office-a2", Role.OFFICE, ha)
    # Every Party worker of the subtree but the author.
    assert set(item.receipts.values_list("user_id", flat=True)) == {secretary.pk}
    again = publish(ha, secretary, audience=Audience.OFFICERS)
    assert set(again.receipts.values_list("user_id", flat=True)) == {office.pk, other_office.pk}


def test_empty_title_and_a_bad_attachment_change_nothing(hospital):
    ha, *_rest = hospital
    office = hospital[3]
    bad = SimpleUploadedFile("run.exe", b"MZ")
    with pytest.raises(services.NoticeError) as refused:
        publish(ha, office, title=" ", files=[bad])
    assert "请填写标题" in refused.value.reasons
    assert any("exe" in reason for reason in refused.value.reasons)
    assert not Announcement.objects.exists()


def test_opening_it_is_the_read_receipt_and_reads_the_inbox_notice(client, hospital):
    ha, _b1, _b2, office, reader, _hb = hospital
    item = publish(ha, office)
    client.force_login(reader.user)
    response = client.get(reverse("notices:detail", args=[item.pk]))
    assert response.status_code == 200
    assert "请各支部于周五前完成" in response.content.decode()
    receipt = Receipt.objects.get(person=reader)
    assert receipt.read_at is not None
    assert Notice.objects.get(recipient=reader.user).read_at is not None
    # The author sees who has not read it yet.
    client.force_login(office)
    page = client.get(reverse("notices:receipts", args=[item.pk])).content.decode()
    assert "读者甲" not in page
    page = client.get(reverse("notices:receipts", args=[item.pk]) + "?show=read").content.decode()
    assert "读者甲" in page


def test_pinned_ones_come_first_for_the_reader(hospital):
    ha, _b1, _b2, office, reader, _hb = hospital
    older = publish(ha, office, title="置顶的旧通知", pinned=True)
    publish(ha, office, title="新通知")
    listed = list(queries.addressed_to(reader.user).order_by("-pinned", "-published_at", "-pk"))
    assert listed[0] == older
    assert listed[0].is_unread


def test_withdrawn_is_gone_for_readers_but_kept_for_the_office(client, hospital):
    ha, _b1, _b2, office, reader, _hb = hospital
    item = publish(ha, office)
    client.force_login(office)
    response = client.post(reverse("notices:manage", args=[item.pk]), {"action": "withdraw"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.withdrawn_at is not None
    client.force_login(reader.user)
    assert client.get(reverse("notices:detail", args=[item.pk])).status_code == 404
    assert not queries.addressed_to(reader.user).exists()
    client.force_login(office)
    assert client.get(reverse("notices:detail", args=[item.pk])).status_code == 200


def test_a_member_may_not_publish(client, hospital):
    ha, _b1, _b2, _office, reader, _hb = hospital
    client.force_login(reader.user)
    response = client.post(
        f"{reverse('notices:new')}?org={ha.code}",
        {"kind": "notice", "title": "t", "body": "b", "audience": "members"},
    )
    assert response.status_code in (403, 404)
    assert not Announcement.objects.exists()


def test_the_guidance_committee_publishes_to_the_hospitals_it_guides(
    client, two_hospitals, hospital
):
    guidance = two_hospitals[0]
    committee = make_user("city", Role.GUIDANCE, guidance)
    client.force_login(committee)
    response = client.post(
        f"{reverse('notices:new')}?org={guidance.code}",
        {"kind": "notice", "title": "全市通知", "body": "内容", "audience": "officers"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    item = Announcement.objects.get()
    assert item.organization == guidance
    assert item.receipts.filter(user=hospital[3]).exists()


def test_a_secretary_publishes_to_the_branch_only(client, hospital):
    ha, b1, _b2, _office, _reader, _hb = hospital
    secretary = make_user("sec", Role.SECRETARY, b1)
    client.force_login(secretary)
    data = {"kind": "notice", "title": "支部通知", "body": "内容", "audience": "members"}
    assert client.post(f"{reverse('notices:new')}?org={b1.code}", data).status_code == 302
    assert client.post(f"{reverse('notices:new')}?org={ha.code}", data).status_code in (403, 404)
    assert Announcement.objects.count() == 1


def test_the_attachment_opens_for_readers_and_not_for_others(client, hospital, two_hospitals):
    ha, _b1, _b2, office, reader, hb_b1 = hospital
    upload = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    item = publish(ha, office, files=[upload])
    attachment = item.attachments.get()
    url = reverse("notices:attachment", args=[attachment.pk])
    client.force_login(reader.user)
    assert client.get(url).status_code == 200
    stranger = make_member_user(hb_b1, "stranger")
    client.force_login(stranger.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("notices:detail", args=[item.pk])).status_code == 404


def test_the_member_home_lists_the_announcement(client, hospital):
    ha, _b1, _b2, office, reader, _hb = hospital
    publish(ha, office, title="七一表彰大会通知", pinned=True)
    client.force_login(reader.user)
    page = client.get(reverse("home:member")).content.decode()
    assert "七一表彰大会通知" in page
    assert "置顶" in page


def test_preferences_refuse_email_without_an_address(client, hospital):
    reader = hospital[4]
    client.force_login(reader.user)
    response = client.post(reverse("notices:preferences"), {"email": "on"})
    assert "须填写电子邮箱" in response.content.decode()
    assert not ChannelPreference.objects.exists()
    response = client.post(
        reverse("notices:preferences"),
        {"email": "on", "email_address": "r@example.cn", "wecom": "on", "wecom_userid": "reader1"},
    )
    assert response.status_code == 302
    reader.user.refresh_from_db()
    assert reader.user.email == "r@example.cn"
    assert reader.user.channel_preference.wecom_userid == "reader1"


def test_a_secretary_cannot_keep_the_hospital_robots(client, hospital):
    ha, b1, *_rest = hospital
    secretary = make_user("sec2", Role.SECRETARY, b1)
    client.force_login(secretary)
    assert client.get(f"{reverse('notices:robots')}?org={b1.code}").status_code == 200
    assert client.get(f"{reverse('notices:robots')}?org={ha.code}").status_code in (403, 404)


def test_saving_a_robot_outside_the_platforms_is_refused(client, hospital):
    ha, *_rest = hospital
    client.force_login(hospital[3])
    response = client.post(
        f"{reverse('notices:robots')}?org={ha.code}",
        {"channel": "wecom", "name": "医院群", "url": "https://192.168.1.10/hook", "enabled": "on"},
    )
    assert response.status_code == 200
    assert "只接受" in response.content.decode()

    assert not Webhook.objects.exists()
