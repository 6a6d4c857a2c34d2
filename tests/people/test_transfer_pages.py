"""The transfer pages (issue 16): hospital A's office sends a member to hospital B, B's
office finds it in its list and accepts it; the 介绍信 out of the system downloads as
.docx; a member from outside is registered. Another hospital's office gets 404, a branch
secretary is refused, and the list's query count does not grow."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from dangjian.accounts.models import Role
from dangjian.people.models import Person, Status, Transfer, TransferState
from dangjian.people.rules import make_id_number
from dangjian.people.transfers import issue_letter, start_transfer
from tests.factories import add_org, make_member
from tests.pages.scoped import ScopedPageTest

pytestmark = pytest.mark.django_db
S = TransferState


def test_office_a_sends_and_office_b_accepts_through_the_pages(client, world):
    person = make_member(world.ha_b1, name="调动同志")
    client.force_login(world.user("office"))
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("people:transfer", args=[person.pk]) in page
    options = client.get(reverse("people:org_options"), {"to_org": "HB"}).content.decode()
    assert f'value="{world.hb_b1.code}"' in options and world.hb_b1.name in options
    response = client.post(
        reverse("people:transfer", args=[person.pk]),
        {"to_org": world.hb_b1.code, "on": "2025-03-10", "reason": "工作调动"},
    )
    transfer = Transfer.objects.get(person=person)
    assert response.url == reverse("people:transfer_detail", args=[transfer.pk])
    assert transfer.state == S.PENDING

    client.force_login(world.user("office", "B"))
    listing = client.get(reverse("people:transfers"))
    assert [t.pk for t in listing.context["incoming"]] == [transfer.pk]
    detail = client.get(reverse("people:transfer_detail", args=[transfer.pk])).content.decode()
    assert "调动同志" in detail and reverse("people:transfer_accept", args=[transfer.pk]) in detail
    client.post(reverse("people:transfer_accept", args=[transfer.pk]))
    person.refresh_from_db()
    assert person.organization == world.hb_b1
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 200

    client.force_login(world.user("office"))  # A keeps the transfer, not the person
    assert client.get(reverse("people:detail", args=[person.pk])).status_code == 404
    assert client.get(reverse("people:transfer_detail", args=[transfer.pk])).status_code == 200


def test_the_sender_cannot_accept_and_a_bad_code_is_explained(client, world):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office"))
    bad = client.post(reverse("people:transfer", args=[person.pk]),
                      {"to_org": "NOPE", "on": "2025-03-10"})  # fmt: skip
    assert "找不到编码为“NOPE”的党组织" in bad.content.decode()
    transfer = start_transfer(person, world.hb_b1, dt.date(2025, 3, 10))
    assert client.post(reverse("people:transfer_accept", args=[transfer.pk])).status_code == 403
    assert Transfer.objects.get().state == S.PENDING


def test_a_return_needs_a_reason(client, world):
    transfer = start_transfer(make_member(world.ha_b1), world.hb_b1, dt.date(2025, 3, 10))
    client.force_login(world.user("office", "B"))
    url = reverse("people:transfer_return", args=[transfer.pk])
    client.post(url, {"reason": ""})
    assert Transfer.objects.get().state == S.PENDING
    client.post(url, {"reason": "岗位未落实"})
    assert Transfer.objects.get().state == S.RETURNED


def test_a_letter_is_issued_downloaded_and_receipted_from_the_pages(client, world):
    person = make_member(world.ha_b1, name="外调同志")
    client.force_login(world.user("office"))
    client.post(
        reverse("people:letter", args=[person.pk]),
        {"to_unit": "外省某医院党委", "on": "2025-06-01", "valid_days": "30",
         "dues_paid_to": "2025-06", "reason": "调往外省"},
    )  # fmt: skip
    transfer = Transfer.objects.get(person=person)
    assert transfer.state == S.ISSUED and transfer.dues_paid_to == dt.date(2025, 6, 1)
    download = client.get(reverse("people:transfer_letter", args=[transfer.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(download.streaming_content))).paragraphs
    )
    assert "外调同志" in text and transfer.letter_number in text
    client.post(
        reverse("people:transfer_receipt", args=[transfer.pk]), {"received_on": "2025-06-15"}
    )
    assert Transfer.objects.get().state == S.RECEIPTED


def test_a_member_from_outside_is_registered_from_the_page(client, world):
    client.force_login(world.user("office", "B"))
    form = client.get(reverse("people:transfer_in")).content.decode()
    assert "介绍信编号" in form
    body = {
        "name": "外来同志", "id_number": make_id_number(dt.date(1991, 3, 4), "female", 5),
        "organization": world.hb_b1.pk, "employment": "in_service", "status": Status.FULL,
        "stage_3": "2020-07-01", "from_unit": "外省某医院党委", "letter_number": "外-18",
        "on": "2025-09-01",
    }  # fmt: skip
    masses = client.post(reverse("people:transfer_in"), {**body, "status": ""})
    assert "转入的须是正式党员或预备党员" in masses.content.decode()
    client.post(reverse("people:transfer_in"), body)
    person = Person.objects.get(name="外来同志")
    assert person.organization == world.hb_b1
    assert Transfer.objects.get(person=person).letter_number == "外-18"


def test_a_branch_secretary_does_not_run_transfers(client, world):
    person = make_member(world.ha_b1)
    secretary = world.user(Role.SECRETARY)
    client.force_login(secretary)
    assert client.get(reverse("people:transfers")).status_code == 403
    assert client.get(reverse("people:transfer", args=[person.pk])).status_code in (403, 404)


def test_other_hospitals_office_gets_404_for_a_transfer_and_its_letter(client, world):
    transfer = issue_letter(make_member(world.ha_b1), "外单位", dt.date(2025, 6, 1))
    client.force_login(world.user("office", "B"))
    for name in ("people:transfer_detail", "people:transfer_letter"):
        assert client.get(reverse(name, args=[transfer.pk])).status_code == 404
    assert client.post(reverse("people:transfer_void", args=[transfer.pk]),
                       {"reason": "x"}).status_code == 404  # fmt: skip


def test_the_org_search_needs_two_characters_and_skips_groups(client, world):
    add_org(world.hb_b1, "HB-B1-G1", "group", "HB第一党小组")
    client.force_login(world.user("office"))
    assert (
        "option" not in client.get(reverse("people:org_options"), {"to_org": "H"}).content.decode()
    )
    found = client.get(reverse("people:org_options"), {"to_org": "HB-B1"}).content.decode()
    assert 'value="HB-B1"' in found and "HB-B1-G1" not in found


class TestTransferList(ScopedPageTest):
    outsider_status = 200
    expected_text = ("待本单位接收", "介绍信待回执")

    def url(self, world):
        return reverse("people:transfers")

    def grow(self, world, n):
        for _ in range(n):
            issue_letter(make_member(world.ha_b1), "外单位", dt.date(2025, 6, 1))
            start_transfer(make_member(world.ha_b2), world.hb_b1, dt.date(2025, 6, 1))

    def private_text(self, world):
        return "外单位"


class TestTransferDetail(ScopedPageTest):
    expected_text = ("介绍信编号", "下载介绍信")

    def url(self, world):
        return reverse("people:transfer_detail", args=[Transfer.objects.order_by("pk").first().pk])

    def grow(self, world, n):
        for _ in range(n):
            issue_letter(make_member(world.ha_b1), "外单位", dt.date(2025, 6, 1))


def test_the_member_list_marks_a_member_whose_letter_took_them_away(client, world):
    person = make_member(world.ha_b1, name="已调外省")
    make_member(world.ha_b1, name="仍在册")
    issue_letter(person, "外单位", dt.date(2025, 6, 1))
    client.force_login(world.user("office"))
    page = client.get(reverse("people:list")).content.decode()
    assert "正式党员（已转出）" in page and page.count("（已转出）") == 1


def test_a_member_who_left_with_a_letter_comes_back_with_their_history(client, world):
    person = make_member(world.ha_b1, name="回流同志", since=dt.date(2012, 7, 1))
    issue_letter(person, "外省某医院党委", dt.date(2024, 6, 1))
    client.force_login(world.user("office", "B"))  # another hospital of the city takes them
    body = {
        "name": "回流同志", "id_number": person.id_number, "organization": world.hb_b1.pk,
        "employment": "in_service", "status": "", "from_unit": "外省某医院党委",
        "letter_number": "外-2025-3", "on": "2025-09-01",
    }  # fmt: skip
    response = client.post(reverse("people:transfer_in"), body)
    assert response.status_code == 302, response.content.decode()[-2000:]
    person.refresh_from_db()
    assert person.organization == world.hb_b1
    assert person.statuses.get(ended_on__isnull=True).status == Status.FULL  # kept
    assert list(person.memberships.values_list("organization__code", "ended_on")) == [
        ("HA-B1", dt.date(2024, 6, 1)),
        ("HB-B1", None),
    ]


def test_a_member_still_in_the_system_is_not_registered_again(client, world):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office", "B"))
    body = {
        "name": "重复", "id_number": person.id_number, "organization": world.hb_b1.pk,
        "employment": "in_service", "status": Status.FULL, "stage_3": "2020-07-01",
        "from_unit": "外单位", "letter_number": "x-1", "on": "2025-09-01",
    }  # fmt: skip
    response = client.post(reverse("people:transfer_in"), body)
    assert "该身份证号已登记" in response.content.decode()
    assert Transfer.objects.count() == 0


@pytest.mark.parametrize("name", ["people:transfer", "people:letter"])
def test_other_hospitals_office_gets_404_for_a_members_transfer_pages(client, world, name):
    person = make_member(world.ha_b1)
    client.force_login(world.user("office", "B"))
    url = reverse(name, args=[person.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"to_org": world.hb_b1.code, "to_unit": "外单位",
                             "on": "2025-06-01", "valid_days": "30"}).status_code == 404  # fmt: skip
    assert not Transfer.objects.exists()
