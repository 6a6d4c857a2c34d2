"""The five stages and 25 steps of 《中国共产党发展党员工作细则》(2014), as data.

Each step names the steps that must be on record before it (`requires`), whether it may
be recorded more than once, which participants and figures it carries, and the political
status it opens. Two outcomes of probation that are not numbered steps, extension and
cancellation, follow the same shape.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请")
    ACTIVIST = "activist", _("入党积极分子的确定和教育培养")
    CANDIDATE = "candidate", _("发展对象的确定和考察")
    ADMISSION = "admission", _("预备党员的接收")
    PROBATION = "probation", _("预备党员的教育考察和转正")


class StepCode(models.TextChoices):
    APPLICATION = "application", _("递交入党申请书")
    APPLICATION_TALK = "application_talk", _("党组织派人谈话")
    ACTIVIST_CONFIRMED = "activist_confirmed", _("推荐和确定入党积极分子")
    ACTIVIST_FILED = "activist_filed", _("入党积极分子报上级党委备案")
    CULTIVATORS_ASSIGNED = "cultivators_assigned", _("指定培养联系人")
    ACTIVIST_REVIEW = "activist_review", _("培养教育考察（半年考察）")
    CANDIDATE_CONFIRMED = "candidate_confirmed", _("确定发展对象")
    CANDIDATE_FILED = "candidate_filed", _("发展对象报上级党委备案")
    INTRODUCERS_ASSIGNED = "introducers_assigned", _("确定入党介绍人")
    POLITICAL_REVIEW = "political_review", _("进行政治审查")
    TRAINING = "training", _("开展集中培训")
    COMMITTEE_REVIEW = "committee_review", _("支部委员会审查")
    PUBLIC_NOTICE = "public_notice", _("发展对象公示")
    PRE_REVIEW = "pre_review", _("上级党委预审")
    APPLICATION_FORM = "application_form", _("填写入党志愿书")
    ASSEMBLY_VOTE = "assembly_vote", _("支部党员大会讨论接收预备党员")
    COMMITTEE_TALK = "committee_talk", _("上级党委派人谈话")
    APPROVAL = "approval", _("上级党委审批")
    APPROVAL_FILED = "approval_filed", _("再上一级党委组织部门备案")
    ASSIGNED_TO_BRANCH = "assigned_to_branch", _("编入党支部和党小组")
    OATH = "oath", _("入党宣誓")
    PROBATION_EDUCATION = "probation_education", _("继续教育考察")
    FULL_APPLICATION = "full_application", _("提出转正申请")
    FULL_ASSEMBLY_VOTE = "full_assembly_vote", _("支部党员大会讨论转正")
    FULL_APPROVAL = "full_approval", _("上级党委审批转正")
    ARCHIVED = "archived", _("材料归档")
    PROBATION_EXTENDED = "probation_extended", _("延长预备期")
    PROBATION_CANCELLED = "probation_cancelled", _("取消预备党员资格")


class ParticipantRole(models.TextChoices):
    CULTIVATOR = "cultivator", _("培养联系人")
    INTRODUCER = "introducer", _("入党介绍人")


@dataclass(frozen=True)
class StepSpec:
    code: str
    number: int | None  # 1–25 in the 细则; None for the notice, extension, cancellation
    stage: str
    requires: tuple[str, ...] = ()
    repeatable: bool = False
    participants: str | None = None  # a ParticipantRole
    vote: bool = False
    training: bool = False
    notice: bool = False  # carries the notice's end and any objections
    in_sequence: bool = True  # on every member's way (not extension, cancellation)
    opens_status: str | None = None  # people.Status opened by this step


S, G = StepCode, Stage
_SPECS = [
    StepSpec(S.APPLICATION, 1, G.APPLICANT, opens_status="applicant"),
    StepSpec(S.APPLICATION_TALK, 2, G.APPLICANT, (S.APPLICATION,)),
    StepSpec(S.ACTIVIST_CONFIRMED, 3, G.ACTIVIST, (S.APPLICATION_TALK,), opens_status="activist"),
    StepSpec(S.ACTIVIST_FILED, 4, G.ACTIVIST, (S.ACTIVIST_CONFIRMED,)),
    StepSpec(
        S.CULTIVATORS_ASSIGNED, 5, G.ACTIVIST, (S.ACTIVIST_CONFIRMED,), participants="cultivator"
    ),
    StepSpec(S.ACTIVIST_REVIEW, 6, G.ACTIVIST, (S.ACTIVIST_CONFIRMED,), repeatable=True),
    StepSpec(
        S.CANDIDATE_CONFIRMED,
        7,
        G.CANDIDATE,
        (S.ACTIVIST_FILED, S.CULTIVATORS_ASSIGNED),
        opens_status="candidate",
    ),
    StepSpec(S.CANDIDATE_FILED, 8, G.CANDIDATE, (S.CANDIDATE_CONFIRMED,)),
    StepSpec(
        S.INTRODUCERS_ASSIGNED, 9, G.CANDIDATE, (S.CANDIDATE_CONFIRMED,), participants="introducer"
    ),
    StepSpec(S.POLITICAL_REVIEW, 10, G.CANDIDATE, (S.CANDIDATE_CONFIRMED,)),
    StepSpec(S.TRAINING, 11, G.CANDIDATE, (S.CANDIDATE_CONFIRMED,), training=True),
    StepSpec(
        S.COMMITTEE_REVIEW,
        12,
        G.ADMISSION,
        (S.CANDIDATE_FILED, S.INTRODUCERS_ASSIGNED, S.POLITICAL_REVIEW, S.TRAINING),
    ),
    # 公示 before the higher committee's pre-review: part of step 13 in the 细则's practice.
    StepSpec(S.PUBLIC_NOTICE, None, G.ADMISSION, (S.COMMITTEE_REVIEW,), notice=True),
    StepSpec(S.PRE_REVIEW, 13, G.ADMISSION, (S.PUBLIC_NOTICE,)),
    StepSpec(S.APPLICATION_FORM, 14, G.ADMISSION, (S.PRE_REVIEW,)),
    StepSpec(S.ASSEMBLY_VOTE, 15, G.ADMISSION, (S.APPLICATION_FORM,), vote=True),
    StepSpec(S.COMMITTEE_TALK, 16, G.ADMISSION, (S.ASSEMBLY_VOTE,)),
    StepSpec(S.APPROVAL, 17, G.ADMISSION, (S.COMMITTEE_TALK,), opens_status="probationary"),
    StepSpec(S.APPROVAL_FILED, 18, G.ADMISSION, (S.APPROVAL,)),
    StepSpec(S.ASSIGNED_TO_BRANCH, 19, G.PROBATION, (S.APPROVAL,)),
    StepSpec(S.OATH, 20, G.PROBATION, (S.APPROVAL,)),
    StepSpec(S.PROBATION_EDUCATION, 21, G.PROBATION, (S.APPROVAL,), repeatable=True),
    StepSpec(S.FULL_APPLICATION, 22, G.PROBATION, (S.APPROVAL,)),
    StepSpec(S.FULL_ASSEMBLY_VOTE, 23, G.PROBATION, (S.FULL_APPLICATION,), vote=True),
    StepSpec(S.FULL_APPROVAL, 24, G.PROBATION, (S.FULL_ASSEMBLY_VOTE,), opens_status="full"),
    StepSpec(S.ARCHIVED, 25, G.PROBATION, (S.FULL_APPROVAL,)),
    # The extension is decided by the branch assembly (细则 第三十二条), so it carries a vote.
    StepSpec(S.PROBATION_EXTENDED, None, G.PROBATION, (S.APPROVAL,), vote=True, in_sequence=False),
    StepSpec(S.PROBATION_CANCELLED, None, G.PROBATION, (S.APPROVAL,), in_sequence=False),
]
SPECS: dict[str, StepSpec] = {spec.code: spec for spec in _SPECS}
NUMBERED = [spec for spec in _SPECS if spec.number]
# The order of the steps on the way to full membership (the 25 and the notice).
SEQUENCE = [spec for spec in _SPECS if spec.in_sequence]
ORDER = {spec.code: position for position, spec in enumerate(_SPECS, start=1)}

# The roster's stage dates (SPEC.md §4) import as these milestones. An imported milestone
# stands for the numbered steps up to `IMPORT_COVERS` (a hospital's history on paper):
# the whole applicant and activist stages, a candidate only as confirmed (introducers,
# review and training may still be pending), an admission with its approval and filing.
IMPORT_MILESTONES = {
    "applicant": S.APPLICATION,
    "activist": S.ACTIVIST_CONFIRMED,
    "candidate": S.CANDIDATE_CONFIRMED,
    "probationary": S.APPROVAL,
    "full": S.FULL_APPROVAL,
}
IMPORT_COVERS = {
    S.APPLICATION: S.APPLICATION_TALK,
    S.ACTIVIST_CONFIRMED: S.ACTIVIST_REVIEW,
    S.CANDIDATE_CONFIRMED: S.CANDIDATE_CONFIRMED,
    S.APPROVAL: S.APPROVAL_FILED,
    S.FULL_APPROVAL: S.FULL_APPROVAL,
}


def covered_by_import(milestone: str) -> set[str]:
    last = ORDER[IMPORT_COVERS[milestone]]
    return {spec.code for spec in SEQUENCE if ORDER[spec.code] <= last}


def label(code: str) -> str:
    return StepCode(code).label
