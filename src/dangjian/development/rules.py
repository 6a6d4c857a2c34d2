"""The time rules of member development (RULES.md §4, 发展党员工作细则 2014) as pure
functions: no database. `check` decides whether a proposed step may be written, and
`due_items` what a person's pipeline owes next.

A refusal names the rule it breaks; a flag (e.g. a late talk) lets the step through but
marks it, because the 细则 treats lateness as a fault to report, not a fact to deny.
"""

import datetime as dt
from dataclasses import dataclass, field

from dangjian.core.dates import add_months, add_years

from .steps import ORDER, SPECS, StepCode, covered_by_import, label

S = StepCode
SOURCE = "《中国共产党发展党员工作细则》"

MIN_AGE = 18
TALK_WITHIN_MONTHS = 1
REVIEW_EVERY_MONTHS = 6
ACTIVIST_MIN_YEARS = 1
CULTIVATORS = (1, 2)
INTRODUCERS = 2
TRAINING_MIN_DAYS = 3
TRAINING_MIN_HOURS = 24
TRAINING_VALID_YEARS = 1
APPROVAL_WITHIN_MONTHS = 3
PROBATION_YEARS = 1
EXTENSION_MONTHS = (6, 12)
PUBLIC_NOTICE_WORKING_DAYS = 5  # no national figure; configurable (RULES.md §4)


@dataclass(frozen=True)
class Recorded:
    """A step on record: `effective_on` is the date it takes effect (the admission dates
    from the assembly, full membership from the end of probation)."""

    code: str
    done_on: dt.date
    effective_on: dt.date | None = None
    imported: bool = False
    extension_months: int | None = None
    notice_ends_on: dt.date | None = None
    objections: str = ""


@dataclass(frozen=True)
class Vote:
    entitled: int  # 应到会有表决权的正式党员
    present: int  # 实到会有表决权的党员
    yes: int
    no: int
    abstain: int


@dataclass(frozen=True)
class Participant:
    name: str
    is_full_member: bool
    is_self: bool = False


@dataclass(frozen=True)
class Proposal:
    code: str
    done_on: dt.date
    participants: tuple[Participant, ...] = ()
    vote: Vote | None = None
    training_days: int | None = None
    training_hours: int | None = None
    extension_months: int | None = None
    # 支部党员大会: the branch's full members on the day, what 应到 must equal
    full_members: int | None = None
    # 公示: its last day, the objections raised, and the working days it must last
    notice_ends_on: dt.date | None = None
    objections: str = ""
    notice_working_days: int = PUBLIC_NOTICE_WORKING_DAYS


@dataclass
class Verdict:
    refusals: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refusals


@dataclass
class Pipeline:
    """A person's development so far, read from their recorded steps."""

    records: list[Recorded]
    birth_date: dt.date | None = None

    def __post_init__(self):
        self.records = sorted(self.records, key=lambda r: (r.done_on, _number(r.code)))

    def has(self, code: str) -> bool:
        return any(
            r.code == code or (r.imported and code in covered_by_import(r.code))
            for r in self.records
        )

    def last(self, code: str) -> Recorded | None:
        found = [r for r in self.records if r.code == code]
        return found[-1] if found else None

    def on(self, code: str) -> dt.date | None:
        record = self.last(code)
        return (record.effective_on or record.done_on) if record else None

    @property
    def latest_done_on(self) -> dt.date | None:
        return max((r.done_on for r in self.records), default=None)

    @property
    def assembly_on(self) -> dt.date | None:
        """The admission date (入党日期): the assembly's resolution; for an imported
        admission, the date on the roster."""
        return self.on(S.ASSEMBLY_VOTE) or self.on(S.APPROVAL)

    @property
    def extension_months(self) -> int:
        record = self.last(S.PROBATION_EXTENDED)
        return record.extension_months or 0 if record else 0

    @property
    def probation_ends_on(self) -> dt.date | None:
        if not self.has(S.APPROVAL) or self.assembly_on is None:
            return None
        return add_months(add_years(self.assembly_on, PROBATION_YEARS), self.extension_months)

    @property
    def cancelled(self) -> bool:
        return self.last(S.PROBATION_CANCELLED) is not None

    @property
    def is_full(self) -> bool:
        return self.has(S.FULL_APPROVAL)

    @property
    def stage_code(self) -> str | None:
        """The status the pipeline has reached (people.Status values), or None."""
        if self.cancelled:
            return None
        for code, status in (
            (S.FULL_APPROVAL, "full"),
            (S.APPROVAL, "probationary"),
            (S.CANDIDATE_CONFIRMED, "candidate"),
            (S.ACTIVIST_CONFIRMED, "activist"),
            (S.APPLICATION, "applicant"),
        ):
            if self.has(code):
                return status
        return None


def _number(code: str) -> int:
    return ORDER[code]


def _refuse(verdict: Verdict, rule: str, detail: str = "") -> None:
    verdict.refusals.append(f"不符合{SOURCE}：{rule}" + (f"（{detail}）" if detail else ""))


def check(pipeline: Pipeline, proposal: Proposal, today: dt.date) -> Verdict:
    """Whether `proposal` may be recorded after `pipeline`. Each refusal names the rule."""
    verdict = Verdict()
    spec = SPECS[proposal.code]
    day = proposal.done_on
    if day > today:
        verdict.refusals.append(f"日期 {day} 晚于今天，不能登记尚未发生的步骤")
    if pipeline.cancelled:
        verdict.refusals.append("已取消预备党员资格，不能再登记发展步骤")
        return verdict
    if pipeline.is_full and proposal.code != S.ARCHIVED:
        verdict.refusals.append("已是正式党员，发展程序已完成")
        return verdict
    if not spec.repeatable and pipeline.last(proposal.code) is not None:
        verdict.refusals.append(f"“{label(proposal.code)}”已登记，不能重复登记")
    elif not spec.repeatable and pipeline.has(proposal.code):
        verdict.refusals.append(f"“{label(proposal.code)}”已包含在导入的历史记录中")
    missing = [code for code in spec.requires if not pipeline.has(code)]
    if missing:
        names = "、".join(f"“{label(c)}”" for c in missing)
        verdict.refusals.append(f"步骤顺序不符：须先完成{names}，才能登记“{label(proposal.code)}”")
        return verdict
    latest = max((pipeline.on(c) for c in spec.requires if pipeline.on(c)), default=None)
    if latest and day < latest:
        verdict.refusals.append(f"日期 {day} 早于前一步骤的日期 {latest}")
    _TIME_RULES.get(proposal.code, _no_rule)(pipeline, proposal, verdict)
    return verdict


def _no_rule(pipeline, proposal, verdict) -> None:
    return None


def _application(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    if pipeline.birth_date is None:
        verdict.refusals.append("缺少出生日期，无法核对入党申请人是否年满十八岁")
    elif add_years(pipeline.birth_date, MIN_AGE) > proposal.done_on:
        _refuse(verdict, "年满十八岁方可申请入党", f"出生日期 {pipeline.birth_date}")


def _talk(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    applied = pipeline.on(S.APPLICATION)
    deadline = add_months(applied, TALK_WITHIN_MONTHS)
    if proposal.done_on > deadline:
        verdict.flags.append(
            f"逾期：党组织应在收到入党申请书后一个月内派人谈话（申请 {applied}，应于 {deadline} 前）"
        )


def _participants(role_name: str, allowed: tuple[int, int]):
    def rule(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
        people = proposal.participants
        low, high = allowed
        if not low <= len(people) <= high:
            wanted = f"{low}名" if low == high else f"{low}至{high}名"
            _refuse(verdict, f"须由{wanted}正式党员担任{role_name}", f"现为{len(people)}名")
        for person in people:
            if person.is_self:
                _refuse(verdict, f"本人不能担任自己的{role_name}")
            elif not person.is_full_member:
                _refuse(verdict, f"{role_name}须为正式党员", f"{person.name}不是正式党员")
        if len({p.name for p in people}) < len(people):
            verdict.refusals.append(f"{role_name}重复")

    return rule


def _candidate(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    since = pipeline.on(S.ACTIVIST_CONFIRMED)
    earliest = add_years(since, ACTIVIST_MIN_YEARS)
    if proposal.done_on < earliest:
        _refuse(
            verdict,
            "入党积极分子经过一年以上培养教育和考察，方可列为发展对象",
            f"确定为入党积极分子 {since}，最早 {earliest}",
        )


def _training(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    days, hours = proposal.training_days or 0, proposal.training_hours or 0
    if days < TRAINING_MIN_DAYS and hours < TRAINING_MIN_HOURS:
        _refuse(
            verdict,
            "发展对象须经集中培训，时间一般不少于三天（或不少于二十四个学时）",
            f"登记为{days}天、{hours}学时",
        )


def check_vote(vote: Vote | None) -> list[str]:
    """Refusals for a branch assembly tally (支部党员大会): the numbers must add up, more
    than half of the members with a vote present, and the yes votes more than half of the
    full members entitled to attend."""
    if vote is None:
        return ["须登记表决结果（应到、实到、赞成、反对、弃权人数）"]
    numbers = (vote.entitled, vote.present, vote.yes, vote.no, vote.abstain)
    if any(n < 0 for n in numbers):
        return ["表决人数不能为负数"]
    if vote.present > vote.entitled:
        return [f"实到人数 {vote.present} 超过应到人数 {vote.entitled}"]
    if vote.yes + vote.no + vote.abstain != vote.present:
        return [
            f"表决票数不符：赞成 {vote.yes} + 反对 {vote.no} + 弃权 {vote.abstain} "
            f"≠ 实到 {vote.present}"
        ]
    refusals = []
    if vote.present * 2 <= vote.entitled:
        refusals.append(
            f"不符合{SOURCE}：支部党员大会须有半数以上有表决权的党员到会"
            f"（应到 {vote.entitled}，实到 {vote.present}）"
        )
    if vote.yes * 2 <= vote.entitled:
        refusals.append(
            f"不符合{SOURCE}：赞成人数须超过应到会有表决权的正式党员的半数"
            f"（应到 {vote.entitled}，赞成 {vote.yes}）"
        )
    return refusals


def check_entitled(vote: Vote | None, full_members: int | None) -> list[str]:
    """应到 is the branch's full members on the day of the assembly (those entitled to
    attend and vote); a tally with another number is refused with both."""
    if vote is None or full_members is None or vote.entitled == full_members:
        return []
    return [
        f"应到会有表决权的正式党员人数不符：登记为 {vote.entitled} 名，"
        f"该日支部正式党员为 {full_members} 名"
    ]


def _assembly_vote(proposal: Proposal) -> list[str]:
    return check_vote(proposal.vote) + check_entitled(proposal.vote, proposal.full_members)


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday to Friday from `start` to `end`, both included (public holidays are not
    known here: a hospital sets a longer notice where they fall)."""
    days = (end - start).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * 5 + sum(1 for i in range(rest) if (start.weekday() + i) % 7 < 5)


def _public_notice(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    ends = proposal.notice_ends_on
    if ends is None:
        verdict.refusals.append("须登记公示截止日期")
        return
    if ends < proposal.done_on:
        verdict.refusals.append(f"公示截止日期 {ends} 早于公示开始日期 {proposal.done_on}")
        return
    days = working_days(proposal.done_on, ends)
    if days < proposal.notice_working_days:
        _refuse(
            verdict,
            f"发展对象须经公示，公示期不少于 {proposal.notice_working_days} 个工作日",
            f"{proposal.done_on} 至 {ends} 共 {days} 个工作日",
        )


def _pre_review(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    notice = pipeline.last(S.PUBLIC_NOTICE)
    if notice is None or notice.notice_ends_on is None:
        return
    if proposal.done_on <= notice.notice_ends_on:
        _refuse(verdict, "上级党委预审须在公示期满后进行", f"公示至 {notice.notice_ends_on}")
    if notice.objections.strip():
        verdict.flags.append(f"公示期间有反映意见，已记录：{notice.objections.strip()[:100]}")


def _assembly(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    verdict.refusals.extend(_assembly_vote(proposal))
    trained = pipeline.last(S.TRAINING)
    if trained and add_years(trained.done_on, TRAINING_VALID_YEARS) < proposal.done_on:
        _refuse(verdict, "发展对象的集中培训须在一年以内", f"培训于 {trained.done_on}，已超过一年")


def _approval(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    assembly = pipeline.on(S.ASSEMBLY_VOTE)
    deadline = add_months(assembly, APPROVAL_WITHIN_MONTHS)
    if proposal.done_on > deadline:
        verdict.flags.append(
            f"逾期：上级党委应在支部党员大会通过后三个月内审批（大会 {assembly}，应于 {deadline} 前）"
        )


def _before_probation_ends(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    ends = pipeline.probation_ends_on
    if proposal.done_on < ends:
        _refuse(
            verdict,
            "预备期为一年，预备期满方可讨论转正",
            f"入党日期 {pipeline.assembly_on}，预备期满 {ends}",
        )


def _full_vote(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    verdict.refusals.extend(_assembly_vote(proposal))
    _before_probation_ends(pipeline, proposal, verdict)


def _full_approval(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    _before_probation_ends(pipeline, proposal, verdict)
    voted = pipeline.on(S.FULL_ASSEMBLY_VOTE)
    deadline = add_months(voted, APPROVAL_WITHIN_MONTHS)
    if proposal.done_on > deadline:
        verdict.flags.append(
            f"逾期：上级党委应在支部党员大会讨论转正后三个月内审批（应于 {deadline} 前）"
        )


def _extension(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    """Decided by the branch assembly, like admission and full membership."""
    verdict.refusals.extend(_assembly_vote(proposal))
    months = proposal.extension_months
    low, high = EXTENSION_MONTHS
    if months is None or not low <= months <= high:
        _refuse(verdict, "延长预备期不能少于半年，最长不超过一年", f"登记为{months or 0}个月")
    if pipeline.last(S.PROBATION_EXTENDED) is not None:
        _refuse(verdict, "预备期只能延长一次")
    if pipeline.has(S.FULL_ASSEMBLY_VOTE):
        verdict.refusals.append("已讨论转正，不能再延长预备期")


def _review(pipeline: Pipeline, proposal: Proposal, verdict: Verdict) -> None:
    if pipeline.has(S.ASSEMBLY_VOTE):
        verdict.refusals.append("已讨论接收为预备党员，培养考察改为预备期继续教育考察")


_TIME_RULES = {
    S.APPLICATION: _application,
    S.APPLICATION_TALK: _talk,
    S.CULTIVATORS_ASSIGNED: _participants("培养联系人", CULTIVATORS),
    S.ACTIVIST_REVIEW: _review,
    S.CANDIDATE_CONFIRMED: _candidate,
    S.INTRODUCERS_ASSIGNED: _participants("入党介绍人", (INTRODUCERS, INTRODUCERS)),
    S.TRAINING: _training,
    S.PUBLIC_NOTICE: _public_notice,
    S.PRE_REVIEW: _pre_review,
    S.ASSEMBLY_VOTE: _assembly,
    S.APPROVAL: _approval,
    S.FULL_ASSEMBLY_VOTE: _full_vote,
    S.FULL_APPROVAL: _full_approval,
    S.PROBATION_EXTENDED: _extension,
}


def effective_on(pipeline: Pipeline, proposal: Proposal) -> dt.date:
    """The date a step takes effect: admission dates from the assembly's resolution, full
    membership from the day probation ends; every other step from the day it was done."""
    if proposal.code == S.APPROVAL:
        return pipeline.on(S.ASSEMBLY_VOTE)
    if proposal.code == S.FULL_APPROVAL:
        return pipeline.probation_ends_on
    return proposal.done_on


# ---- what is due ---------------------------------------------------------------------
@dataclass(frozen=True)
class Due:
    code: str
    due_on: dt.date
    what: str

    def overdue(self, today: dt.date) -> bool:
        return self.due_on < today


def due_items(pipeline: Pipeline, today: dt.date | None = None) -> list[Due]:
    """What the pipeline owes next, each with the date it is due by. For an activist whose
    confirmation came from the roster with no review on record, the half-yearly review
    falls on the next six-month anniversary from `today`, not years in the past."""
    if pipeline.cancelled or pipeline.is_full or not pipeline.records:
        return []
    items = []
    applied = pipeline.on(S.APPLICATION)
    if applied and not pipeline.has(S.APPLICATION_TALK):
        items.append(Due(S.APPLICATION_TALK, add_months(applied, TALK_WITHIN_MONTHS), "派人谈话"))
    if pipeline.has(S.ACTIVIST_CONFIRMED) and not pipeline.has(S.ASSEMBLY_VOTE):
        review = _next_review(pipeline, today)
        if review:
            items.append(Due(S.ACTIVIST_REVIEW, review, "半年培养考察"))
    voted = pipeline.on(S.ASSEMBLY_VOTE)
    if voted and not pipeline.has(S.APPROVAL):
        items.append(Due(S.APPROVAL, add_months(voted, APPROVAL_WITHIN_MONTHS), "上级党委审批"))
    ends = pipeline.probation_ends_on
    if ends and not pipeline.has(S.FULL_ASSEMBLY_VOTE):
        items.append(Due(S.FULL_ASSEMBLY_VOTE, ends, "预备期满，讨论转正"))
    full_vote = pipeline.on(S.FULL_ASSEMBLY_VOTE)
    if full_vote and not pipeline.has(S.FULL_APPROVAL):
        items.append(
            Due(S.FULL_APPROVAL, add_months(full_vote, APPROVAL_WITHIN_MONTHS), "上级党委审批转正")
        )
    return items


def _next_review(pipeline: Pipeline, today: dt.date | None) -> dt.date | None:
    last_review = pipeline.last(S.ACTIVIST_REVIEW)
    confirmed = pipeline.last(S.ACTIVIST_CONFIRMED)
    since = last_review.done_on if last_review else confirmed.done_on if confirmed else None
    if since is None:
        return None
    due = add_months(since, REVIEW_EVERY_MONTHS)
    if last_review is None and confirmed.imported and today is not None:
        cycles = 1
        while due < today:
            cycles += 1
            due = add_months(since, REVIEW_EVERY_MONTHS * cycles)
    return due


def candidate_eligible_on(pipeline: Pipeline) -> dt.date | None:
    """The first day an activist may be made a candidate (one year after confirmation)."""
    activist = pipeline.on(S.ACTIVIST_CONFIRMED)
    if activist is None or pipeline.has(S.CANDIDATE_CONFIRMED):
        return None
    return add_years(activist, ACTIVIST_MIN_YEARS)


# ---- history on paper (the roster's stage dates) -----------------------------------------
def history_irregularities(birth_date: dt.date | None, stages: dict[str, dt.date]) -> list[str]:
    """What a hospital's recorded history (the roster's stage dates, imported as they
    stand) breaks of the time rules: an application before 18, a candidate less than a
    year after becoming an activist, a probation other than one year (or, extended, 18
    months to two years). `stages` maps applicant, activist, candidate, probationary and
    full to the date each began."""
    found = []
    applied = stages.get("applicant")
    if birth_date and applied and applied < add_years(birth_date, MIN_AGE):
        found.append(f"申请入党时未满 18 周岁（出生 {birth_date}，申请 {applied}）")
    activist, candidate = stages.get("activist"), stages.get("candidate")
    if activist and candidate and candidate < add_years(activist, ACTIVIST_MIN_YEARS):
        found.append(f"确定为入党积极分子不满一年即确定为发展对象（{activist} → {candidate}）")
    admitted, full = stages.get("probationary"), stages.get("full")
    if admitted and full:
        one_year = add_years(admitted, PROBATION_YEARS)
        low, high = (add_months(one_year, m) for m in EXTENSION_MONTHS)
        if full != one_year and not low <= full <= high:
            found.append(
                f"预备期不是一年（入党 {admitted}，转正 {full}），也不在延长预备期"
                f"（半年至一年）之内"
            )
    return found
