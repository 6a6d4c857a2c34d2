"""组织关系转接 (people.transfers, issue 16): within the system a transfer waits for the
receiving office, which accepts or returns it; out of it a numbered 介绍信 ends the
relation and its 回执 is recorded (or the letter is voided, reopening the relation); into
it a member is registered with the letter's number. The member counts where they are on
each day, both relations stay in the history, and unpaid dues bills of later months
follow the member."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from docx.oxml.ns import qn

from dangjian.core.models import AuditEntry, Notice
from dangjian.dues.models import DuesBase, DuesBill
from dangjian.dues.services import generate_bills
from dangjian.orgs.models import CommitteePost, OrgKind
from dangjian.people.export import transfer_letter
from dangjian.people.models import (
    Membership,
    MembershipReason,
    Person,
    Status,
    Transfer,
    TransferState,
)
from dangjian.people.queries import member_figures
from dangjian.people.services import PeopleError
from dangjian.people.transfers import (
    accept_transfer,
    issue_letter,
    record_receipt,
    register_member_in,
    return_transfer,
    start_transfer,
    void_letter,
    withdraw_transfer,
)
from tests.factories import add_org, add_seat, make_member
from tests.office import is_landscape, pdf_pages, pdf_text, to_pdf

pytestmark = pytest.mark.django_db
D = dt.date
S = TransferState


def _members(org, day) -> int:
    return member_figures(org.path, day)["total"]


def _relations(person) -> list[tuple]:
    return list(
        Membership.objects.filter(person=person)
        .order_by("started_on", "id")
        .values_list("organization__code", "started_on", "ended_on", "start_reason")
    )


def _bill(person, org, month):
    return DuesBill.objects.create(
        person=person, organization=org, month=month, due_on=month, category="in_service",
        base=Decimal("5000"), amount=Decimal("25.00"),
    )  # fmt: skip


def test_a_transfer_between_hospitals_waits_then_moves_the_member_from_its_date(world):
    person = make_member(world.ha_b1, since=D(2015, 1, 1))
    add_seat(world.ha_b1, person, CommitteePost.ORGANIZATION)
    office_b = world.user("office", "B")
    transfer = start_transfer(person, world.hb_b1, D(2025, 3, 10), reason="工作调动",
                              by=world.user("office"))  # fmt: skip
    assert transfer.state == S.PENDING
    person.refresh_from_db()
    assert person.organization == world.ha_b1  # nothing moves before the other side accepts
    notice = Notice.objects.get(recipient=office_b)
    assert person.name in notice.title and notice.link.endswith(f"/transfers/{transfer.pk}/")

    accept_transfer(transfer, by=office_b)
    person.refresh_from_db()
    assert person.organization == world.hb_b1
    assert _relations(person) == [
        ("HA-B1", D(2015, 1, 1), D(2025, 3, 10), MembershipReason.IMPORT),
        ("HB-B1", D(2025, 3, 10), None, MembershipReason.TRANSFER_IN),
    ]
    assert _members(world.ha, D(2025, 3, 9)) == 1 and _members(world.hb, D(2025, 3, 9)) == 0
    assert _members(world.ha, D(2025, 3, 10)) == 0 and _members(world.hb, D(2025, 3, 10)) == 1
    assert person.seats.get().ended_on == D(2025, 3, 10)
    transfer.refresh_from_db()
    assert transfer.state == S.ACCEPTED and transfer.decided_by == office_b
    assert Notice.objects.filter(
        recipient=world.user("office"), title__startswith="已接收"
    ).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"transfer.start", "transfer.accept"} <= actions


def test_unpaid_bills_after_the_month_of_the_move_follow_the_member(world):
    person = make_member(world.ha_b1)
    march, april = (
        _bill(person, world.ha_b1, D(2025, 3, 1)),
        _bill(person, world.ha_b1, D(2025, 4, 1)),
    )
    transfer = start_transfer(person, world.hb_b1, D(2025, 3, 10))
    accept_transfer(transfer)
    march.refresh_from_db()
    april.refresh_from_db()
    assert march.organization == world.ha_b1  # the month of the move is paid where they were
    assert april.organization == world.hb_b1


def test_a_returned_or_withdrawn_transfer_moves_nothing(world):
    person = make_member(world.ha_b1)
    first = start_transfer(person, world.hb_b1, D(2025, 3, 10))
    with pytest.raises(PeopleError, match="已有一笔待接收"):
        start_transfer(person, world.hb_b2, D(2025, 3, 11))
    with pytest.raises(PeopleError, match="退回原因"):
        return_transfer(first, reason=" ")
    return_transfer(first, reason="本院无此岗位")
    with pytest.raises(PeopleError, match="已退回"):
        accept_transfer(first)
    second = start_transfer(person, world.hb_b1, D(2025, 3, 12))
    withdraw_transfer(second, reason="调动取消")
    person.refresh_from_db()
    assert person.organization == world.ha_b1 and len(_relations(person)) == 1
    assert list(Transfer.objects.filter(person=person).order_by("id").values_list(
        "state", "decision_note")) == [(S.RETURNED, "本院无此岗位"), (S.WITHDRAWN, "调动取消")]  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("applicant", "不是党员"),
        ("future", "不能晚于今天"),
        ("before_start", "须晚于现组织关系的开始日期"),
        ("same_org", "已在"),
        ("group", "不能直接接收党员"),
    ],
)
def test_refused_transfers_change_nothing(world, setup, message):
    status = Status.ACTIVIST if setup == "applicant" else Status.FULL
    person = make_member(world.ha_b1, status=status, since=D(2020, 1, 1))
    to_org, on = world.hb_b1, D(2025, 1, 1)
    if setup == "future":
        on = dt.date.today() + dt.timedelta(days=1)
    elif setup == "before_start":
        on = D(2019, 12, 31)
    elif setup == "same_org":
        to_org = world.ha_b1
    elif setup == "group":
        to_org = add_org(world.hb_b1, "HB-B1-G1", OrgKind.GROUP, "第一党小组")
    with pytest.raises(PeopleError, match=message):
        start_transfer(person, to_org, on)
    assert not Transfer.objects.exists() and len(_relations(person)) == 1


def test_acceptance_is_refused_when_the_member_moved_meanwhile(world):
    person = make_member(world.ha_b1)
    transfer = start_transfer(person, world.hb_b1, D(2025, 3, 10))
    Membership.objects.filter(person=person).update(organization=world.ha_b2)  # moved inside A
    with pytest.raises(PeopleError, match="组织关系已变动"):
        accept_transfer(transfer)
    assert Transfer.objects.get().state == S.PENDING


def test_a_move_inside_the_senders_registry_is_accepted_at_once(world):
    person = make_member(world.ha_b1)
    transfer = start_transfer(person, world.ha_b2, D(2025, 5, 1), accept_now=True)
    assert transfer.state == S.ACCEPTED
    person.refresh_from_db()
    assert person.organization == world.ha_b2
    assert not Notice.objects.exists()  # nobody else to tell


def test_letters_are_numbered_per_hospital_and_year_and_end_the_relation(world):
    people = [make_member(world.ha_b1) for _ in range(2)] + [make_member(world.hb_b1)]
    numbers = [issue_letter(p, "外省某医院党委", D(2025, 6, 1)).letter_number for p in people]
    assert numbers == ["2025-0001", "2025-0002", "2025-0001"]
    assert (
        issue_letter(make_member(world.ha_b2), "外单位", D(2026, 1, 5)).letter_number == "2026-0001"
    )
    transfer = Transfer.objects.get(letter_number="2025-0001", organization=world.ha_b1)
    assert transfer.state == S.ISSUED and transfer.valid_until == D(2025, 7, 1)
    assert Membership.objects.get(person=people[0]).ended_on == D(2025, 6, 1)
    assert _members(world.ha_b1, D(2025, 6, 1)) == 0


def test_a_letter_withdraws_the_bills_of_later_months_and_stops_billing(world):
    person, stays = make_member(world.ha_b1), make_member(world.ha_b1)
    for someone in (person, stays):
        DuesBase.objects.create(person=someone, category="in_service", base=Decimal("5000"),
                                effective_from=D(2025, 1, 1))  # fmt: skip
    june, july = (
        _bill(person, world.ha_b1, D(2025, 6, 1)),
        _bill(person, world.ha_b1, D(2025, 7, 1)),
    )
    issue_letter(person, "外省某医院党委", D(2025, 6, 20))
    assert list(DuesBill.objects.filter(person=person)) == [june]
    assert not DuesBill.objects.filter(pk=july.pk).exists()
    generate_bills(D(2025, 8, 1), world.ha.path)
    august = DuesBill.objects.filter(month=D(2025, 8, 1))
    assert list(august.values_list("person", flat=True)) == [stays.pk]


def test_the_receipt_closes_a_letter_and_a_voided_letter_reopens_the_relation(world):
    kept, returned = make_member(world.ha_b1), make_member(world.ha_b1)
    letter = issue_letter(kept, "外省某医院党委", D(2025, 6, 1))
    with pytest.raises(PeopleError, match="不能早于"):
        record_receipt(letter, D(2025, 5, 30))
    record_receipt(letter, D(2025, 6, 20))
    with pytest.raises(PeopleError, match="已收回执"):
        void_letter(letter, reason="误开")
    wrong = issue_letter(returned, "外省某医院党委", D(2025, 6, 1))
    void_letter(wrong, reason="本人未调动")
    assert _relations(returned)[-1] == ("HA-B1", D(2025, 6, 1), None, MembershipReason.CORRECTION)
    assert _members(world.ha_b1, D(2025, 6, 1)) == 1  # the returned one counts again
    assert Transfer.objects.get(pk=wrong.pk).state == S.VOIDED  # kept, voided


def test_a_member_from_outside_is_registered_with_the_letter_number(world):
    from dangjian.people.rules import make_id_number

    data = {
        "organization": world.hb_b1, "name": "外来党员", "id_number": make_id_number(D(1990, 5, 6), "male", 4),
        "phone": "", "department": None, "admin_title": "", "is_department_head": False,
        "professional_title": "", "talent_category": "", "employment": "in_service",
        "periods": [(Status.PROBATIONARY, D(2024, 7, 1)), (Status.FULL, D(2025, 7, 1))],
    }  # fmt: skip
    transfer = register_member_in(data, "外省某医院党委", "外组-2025-18", D(2025, 9, 1))
    person = Person.objects.get(name="外来党员")
    assert transfer.state == S.REGISTERED and transfer.letter_number == "外组-2025-18"
    assert _relations(person) == [("HB-B1", D(2025, 9, 1), None, MembershipReason.TRANSFER_IN)]
    assert _members(world.hb_b1, D(2025, 8, 31)) == 0 and _members(world.hb_b1, D(2025, 9, 1)) == 1


def test_the_letter_docx_carries_number_stub_letter_and_receipt(world):
    person = make_member(world.ha_b1, name="转出同志")
    transfer = issue_letter(person, "外省某医院党委", D(2025, 6, 1), valid_days=60,
                            dues_paid_to=D(2025, 6, 1))  # fmt: skip
    text = "\n".join(p.text for p in Document(io.BytesIO(transfer_letter(transfer))).paragraphs)
    assert text.count("第 2025-0001 号") == 4  # stub, letter, receipt and its acknowledgement
    assert "转出同志同志" in text and "外省某医院党委：" in text and "回　执" in text
    assert "党费已交到2025年6月" in text and "有效期60天" in text
    assert person.id_number not in text and person.id_number_masked in text
    document = Document(io.BytesIO(transfer_letter(transfer)))
    assert document.core_properties.language == "zh-CN"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"


def test_the_letter_prints_stub_letter_and_receipt_on_one_a4_page(world, tmp_path):
    person = make_member(world.ha_b1, name="转出同志")
    transfer = issue_letter(person, "外省某医院党委", D(2025, 6, 1), dues_paid_to=D(2025, 6, 1))
    pdf = to_pdf(transfer_letter(transfer), ".docx", tmp_path)
    assert pdf_pages(pdf) == 1 and not is_landscape(pdf)
    text = "".join(pdf_text(pdf).split())
    assert text.count("第2025-0001号") == 4 and "沿此线剪开" in text and "回执" in text
