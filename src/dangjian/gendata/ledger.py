"""Each hospital's yearly target list (5 areas, 6 tasks each, with owners, a progress
ledger and approved close-outs) and its 三重一大 register: monthly Party committee
meetings deciding three matters each, president's office meetings studying some of them
first, with attendance, votes, consultations and opinions."""

import datetime as dt
from decimal import Decimal

from dangjian.decisions.models import (
    AgendaItem,
    DecisionAttendance,
    DecisionMeeting,
    ExpertConsultation,
    MajorMatter,
    OpinionSolicitation,
)
from dangjian.tasks.models import TargetList, TaskArea, TaskClosure, TaskProgress, WorkTask

from . import names
from .city import City, HospitalRec
from .writer import Writer


class LedgerBuilder:
    def __init__(self, city: City, writer: Writer):
        self.city = city
        self.lists = writer.table(TargetList, ["organization_id", "year", "title"])
        self.areas = writer.table(TaskArea, ["target_list_id", "name", "order"])
        self.tasks = writer.table(
            WorkTask,
            ["area_id", "number", "title", "expected_result", "responsible_org_id", "starts_on",
             "due_on", "percent", "state", "closed_on"],
        )  # fmt: skip
        self.owners = writer.table(WorkTask.owners.through, ["worktask_id", "person_id"])
        self.progress = writer.table(TaskProgress, ["task_id", "recorded_on", "text", "percent"])
        self.closures = writer.table(
            TaskClosure, ["task_id", "summary", "applied_on", "state", "reviewed_on"]
        )
        self.matters = writer.table(
            MajorMatter,
            ["organization_id", "category", "title", "proposer", "proposed_on", "amount",
             "status", "president_office_first", "decided_on", "decision", "follow_up",
             "follow_up_done"],
        )  # fmt: skip
        self.consultations = writer.table(
            ExpertConsultation, ["matter_id", "held_on", "panel", "experts", "conclusion"]
        )
        self.solicitations = writer.table(
            OpinionSolicitation, ["matter_id", "solicited_on", "audience", "opinions", "summary"]
        )
        self.meetings = writer.table(
            DecisionMeeting,
            ["organization_id", "body", "title", "held_on", "chair", "place", "should_attend",
             "state", "minutes"],
        )  # fmt: skip
        self.attendance = writer.table(
            DecisionAttendance, ["meeting_id", "person_id", "state", "reason"]
        )
        self.items = writer.table(
            AgendaItem,
            ["meeting_id", "matter_id", "order", "outcome", "present", "votes_for",
             "votes_against", "votes_abstain", "decision"],
        )  # fmt: skip

    def build(self) -> None:
        for hospital in self.city.hospitals:
            for year in range(self.city.first_day.year, self.city.today.year + 1):
                self._targets(hospital, year)
                self._register(hospital, year)

    # -- tasks -----------------------------------------------------------------------------
    def _targets(self, hospital: HospitalRec, year: int) -> None:
        today = self.city.today
        rng = self.city.rng("tasks", hospital.code, year)
        list_pk = self.lists.add(hospital.pk, year, f"{year}年度党建工作目标任务清单")
        staffed = [b for b in hospital.branches if b.secretary is not None]
        number = 0
        for order, area in enumerate(names.TASK_AREAS, start=1):
            area_pk = self.areas.add(list_pk, area, order)
            for _ in range(6):
                number += 1
                starts = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(60))
                due = starts + dt.timedelta(days=rng.randrange(60, 330))
                branch = rng.choice(staffed) if staffed and rng.random() < 0.6 else None
                owner = branch.secretary if branch else (hospital.committee or [None])[0]
                title = f"{rng.choice(names.TASK_VERBS)}{rng.choice(names.TASK_OBJECTS)}"
                closed_on, state, percent = None, "open", 0
                if due <= today:
                    if rng.random() < (0.9 if year == today.year else 0.97):
                        closed_on = min(today, due + dt.timedelta(days=rng.randrange(-40, 15)))
                        state, percent = "closed", 100
                    else:
                        percent = rng.choice((40, 60, 80))
                elif starts <= today:
                    percent = min(90, 10 * ((today - starts).days * 10 // (due - starts).days))
                task = self.tasks.add(
                    area_pk, number, title, "按期完成并形成佐证材料",
                    branch.pk if branch else hospital.pk, starts, due, percent, state, closed_on,
                )  # fmt: skip
                if owner is not None:
                    self.owners.add(task, owner.pk)
                middle = starts + (due - starts) / 2
                if middle <= today:
                    self.progress.add(
                        task, middle, "按计划推进，已完成阶段性工作", min(percent, 50)
                    )
                if closed_on:
                    self.progress.add(task, closed_on, "任务完成，提交销号申请", 100)
                    self.closures.add(
                        task, "已按期完成，佐证材料齐全", closed_on, "approved", closed_on
                    )

    # -- 三重一大 ---------------------------------------------------------------------------
    def _register(self, hospital: HospitalRec, year: int) -> None:
        today = self.city.today
        rng = self.city.rng("decisions", hospital.code, year)
        committee = hospital.committee
        chair = hospital.secretary_name
        for month in range(1, 13):
            held_on = dt.date(year, month, 10)
            if held_on > today + dt.timedelta(days=40):
                break
            held = held_on <= today
            office = None
            if month % 2 == 0:
                office = self.meetings.add(
                    hospital.pk, "president_office_meeting", f"{year}年第{month // 2}次院长办公会",
                    held_on - dt.timedelta(days=4), chair, "第二会议室", 5,
                    "held" if held else "planned", "",
                )  # fmt: skip
                for person in committee[:5]:
                    self.attendance.add(office, person.pk, "present", "")
            meeting = self.meetings.add(
                hospital.pk, "party_committee_meeting", f"{year}年第{month}次党委会", held_on,
                chair, "第一会议室", max(len(committee), 1), "held" if held else "planned",
                "会议纪要已整理归档" if held else "",
            )  # fmt: skip
            absent = rng.randrange(len(committee)) if committee and rng.random() < 0.3 else None
            for i, person in enumerate(committee):
                state, reason = ("leave", "外出学习") if i == absent else ("present", "")
                self.attendance.add(meeting, person.pk, state, reason)
            present = len(committee) - (absent is not None)
            for order in range(1, 4):
                category = rng.choice(list(names.MATTERS))
                title = rng.choice(names.MATTERS[category])
                amount = Decimal(rng.randrange(50, 900) * 10000) if category in (
                    "large_fund", "major_project") else None  # fmt: skip
                outcome = "pending"
                if held:
                    outcome = "approved" if rng.random() < 0.92 else "rejected"
                first = office is not None and order == 1
                matter = self.matters.add(
                    hospital.pk, category, f"关于{title}的议题", f"{rng.choice(names.DEPARTMENTS)[0]}",
                    held_on - dt.timedelta(days=rng.randrange(7, 30)), amount,
                    outcome if held else "proposed", first, held_on if held else None,
                    "同意" if outcome == "approved" else ("不同意" if held else ""),
                    "已按决定执行" if held and held_on < today - dt.timedelta(days=60) else "",
                    held and held_on < today - dt.timedelta(days=60),
                )  # fmt: skip
                if first:
                    self.items.add(office, matter, 1, "discussed" if held else "pending", None,
                                   None, None, None, "")  # fmt: skip
                rejected = (min(1, present), max(present - 1, 0), 0)
                votes = (present, 0, 0) if outcome == "approved" else rejected
                self.items.add(
                    meeting, matter, order, outcome, present if held else None,
                    *(votes if held else (None, None, None)),
                    "同意" if outcome == "approved" else ("不同意" if held else ""),
                )  # fmt: skip
                if category in ("major_decision", "major_project") and rng.random() < 0.5:
                    self.consultations.add(matter, held_on - dt.timedelta(days=5), "院内专家组",
                                           rng.randrange(3, 8), "论证可行")  # fmt: skip
                if rng.random() < 0.4:
                    self.solicitations.add(matter, held_on - dt.timedelta(days=10), "职工代表",
                                           rng.randrange(3, 30), "意见已采纳")  # fmt: skip
