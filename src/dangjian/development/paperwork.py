"""Each step's standard form (入党申请书回执, 谈话记录, 备案表, 政治审查综合材料, 支部大会决议,
上级党委审批意见) as a pre-filled .docx, so the Party office stops copying the record by hand.

A form is a Word file with placeholders such as `{{ person_name }}` in its paragraphs and
table cells. A hospital may replace any template: `DANGJIAN_FORM_TEMPLATES_DIR/<hospital
code>/<form>.docx`, then `DANGJIAN_FORM_TEMPLATES_DIR/<form>.docx`, then the packaged
default (`form_templates/`, built by `paperwork_defaults`). A placeholder the system does
not know renders empty and is reported, so a typo in a hospital's template shows instead
of breaking the download. ID-card numbers are only ever printed masked.
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from dangjian.core.dates import add_years
from dangjian.core.documents import set_chinese
from dangjian.orgs.models import Organization, OrgKind

from . import rules
from .models import DevelopmentStep, StepParticipant
from .steps import ParticipantRole, StepCode

S = StepCode
DEFAULTS_DIR = Path(__file__).resolve().parent / "form_templates"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FormSpec:
    key: str  # the template's file name without .docx
    step: str  # the StepCode it belongs to
    title: str  # names the downloaded file: 谈话记录-姓名.docx

    @property
    def file_name(self) -> str:
        return f"{self.key}.docx"


FORMS = [
    FormSpec("application_receipt", S.APPLICATION, "入党申请书回执"),
    FormSpec("talk_record", S.APPLICATION_TALK, "谈话记录"),
    FormSpec("activist_registration", S.ACTIVIST_CONFIRMED, "入党积极分子登记备案表"),
    FormSpec("candidate_registration", S.CANDIDATE_CONFIRMED, "发展对象备案表"),
    FormSpec("political_review", S.POLITICAL_REVIEW, "政治审查综合材料"),
    FormSpec("assembly_resolution", S.ASSEMBLY_VOTE, "支部大会决议"),
    FormSpec("approval", S.APPROVAL, "上级党委审批意见"),
]
FORM_FOR_STEP = {spec.step: spec for spec in FORMS}

# The date of each earlier step, by placeholder (the latest record of that step).
STEP_DATES = {
    "application_date": (S.APPLICATION, "递交入党申请书日期"),
    "talk_date": (S.APPLICATION_TALK, "党组织派人谈话日期"),
    "activist_date": (S.ACTIVIST_CONFIRMED, "确定为入党积极分子日期"),
    "activist_filed_date": (S.ACTIVIST_FILED, "入党积极分子报上级党委备案日期"),
    "cultivators_date": (S.CULTIVATORS_ASSIGNED, "指定培养联系人日期"),
    "candidate_date": (S.CANDIDATE_CONFIRMED, "确定为发展对象日期"),
    "candidate_filed_date": (S.CANDIDATE_FILED, "发展对象报上级党委备案日期"),
    "introducers_date": (S.INTRODUCERS_ASSIGNED, "确定入党介绍人日期"),
    "political_review_date": (S.POLITICAL_REVIEW, "政治审查日期"),
    "training_date": (S.TRAINING, "集中培训日期"),
    "committee_review_date": (S.COMMITTEE_REVIEW, "支部委员会审查日期"),
    "pre_review_date": (S.PRE_REVIEW, "上级党委预审日期"),
    "application_form_date": (S.APPLICATION_FORM, "填写入党志愿书日期"),
    "assembly_date": (S.ASSEMBLY_VOTE, "支部党员大会讨论接收日期"),
    "committee_talk_date": (S.COMMITTEE_TALK, "上级党委派人谈话日期"),
    "approval_date": (S.APPROVAL, "上级党委审批日期"),
}

# Every placeholder a template may use, with what it prints (shown by `--list`).
FIELDS = {
    "person_name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "age": "年龄（按本步骤办理日期计）",
    "id_number_masked": "身份证号（遮蔽显示，不打印完整号码）",
    "department": "科室",
    "professional_title": "职称",
    "admin_title": "行政职务",
    "organization_name": "办理该步骤的党组织（通常为党支部）",
    "committee_name": "上级党委",
    "hospital_name": "医院",
    "step_label": "本步骤名称",
    "done_on": "本步骤办理日期",
    "actor": "本步骤经办人/谈话人",
    "note": "本步骤说明",
    "late_note": "逾期说明",
    "talker": "入党谈话的谈话人",
    **{name: label for name, (_, label) in STEP_DATES.items()},
    "activist_reviews": "半年考察日期（多次以顿号分隔）",
    "probation_ends": "预备期满日期（自支部大会通过之日起一年）",
    "probation_period": "预备期起止（“，自…起至…止”；支部大会日期未记录时为空）",
    "activist_filed_note": "入党积极分子已备案时为“已备案。”，否则为空",
    "candidate_filed_note": "发展对象已备案时为“已备案。”，否则为空",
    "cultivators": "培养联系人",
    "introducers": "入党介绍人",
    "entitled_voters": "应到会有表决权的党员人数",
    "present_voters": "实到会有表决权的党员人数",
    "votes_yes": "赞成票数",
    "votes_no": "反对票数",
    "votes_abstain": "弃权票数",
    "vote_summary": "表决情况（一句话）",
    "training_days": "集中培训天数",
    "training_hours": "集中培训学时",
    "training_summary": "集中培训情况（一句话）",
    "generated_on": "制表日期",
}

# `{{ name }}`; full-width braces too, which a Chinese input method types by default.
PLACEHOLDER = re.compile(r"[{｛]{2}\s*([^{}｛｝]*?)\s*[}｝]{2}")
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class RenderedForm:
    form: FormSpec
    content: bytes
    filename: str
    template: str  # the file used, or "默认模板"
    unknown: list[str] = field(default_factory=list)  # placeholders printed empty
    problems: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Chinese sentences for the office: what in their template needs fixing."""
        found = [f"模板中的占位符无法识别，已留空：{_shown(name)}" for name in self.unknown]
        return self.problems + found


def _shown(name: str) -> str:
    return "{{ " + name + " }}"


def form_for_step(code: str) -> FormSpec | None:
    return FORM_FOR_STEP.get(code)


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


# ---- which template ----------------------------------------------------------------


def template_path(form: FormSpec, hospital_code: str = "") -> Path:
    """The hospital's own template if it has one, else the packaged default."""
    root = getattr(settings, "DANGJIAN_FORM_TEMPLATES_DIR", None)
    if root:
        candidates = [Path(root) / form.file_name]
        if _safe_dir_name(hospital_code):
            candidates.insert(0, Path(root) / hospital_code / form.file_name)
        for candidate in candidates:
            if candidate.is_file():
                return candidate
    return DEFAULTS_DIR / form.file_name


def _safe_dir_name(code: str) -> bool:
    # Organisation codes come from workbooks: never let one walk out of the directory.
    return bool(code) and code not in (".", "..") and Path(code).name == code


def open_template(form: FormSpec, hospital_code: str):
    """(document, template label, problems). A hospital template that Word cannot have
    written (not a .docx) falls back to the default, and says so."""
    path = template_path(form, hospital_code)
    if path.parent == DEFAULTS_DIR:
        return Document(str(path)), "默认模板", []
    try:
        return Document(str(path)), str(path), []
    except Exception as exc:  # python-docx raises several kinds for a broken file
        problem = f"医院模板 {path} 无法读取（{type(exc).__name__}），已改用默认模板"
        return Document(str(DEFAULTS_DIR / form.file_name)), "默认模板", [problem]


# ---- filling a document --------------------------------------------------------------


def _paragraph_texts(document):
    """Each paragraph (body, tables, headers, footers, text boxes) with its own `w:t`
    nodes in order; a nested text-box paragraph is its own entry."""
    for part in document.part.package.iter_parts():
        if not isinstance(part, XmlPart):
            continue
        for paragraph in part.element.iter(qn("w:p")):
            texts = [t for t in paragraph.iter(qn("w:t")) if _owner(t) is paragraph]
            if texts:
                yield texts


def _owner(node):
    node = node.getparent()
    while node is not None and node.tag != qn("w:p"):
        node = node.getparent()
    return node


def placeholders_in(document) -> list[str]:
    """The placeholder names a document uses, in order of first use."""
    names: dict[str, None] = {}
    for texts in _paragraph_texts(document):
        for match in PLACEHOLDER.finditer("".join(t.text or "" for t in texts)):
            names.setdefault(match.group(1), None)
    return list(names)


def fill(document, values: dict[str, str]) -> list[str]:
    """Replace every placeholder in place; returns the unknown names (printed empty).
    Word splits text into runs freely, so a placeholder may span several runs: the value
    takes the formatting of the run where the placeholder starts."""
    unknown: dict[str, None] = {}
    for texts in _paragraph_texts(document):
        lengths = [len(t.text or "") for t in texts]
        joined = "".join(t.text or "" for t in texts)
        matches = list(PLACEHOLDER.finditer(joined))
        unknown.update((m.group(1), None) for m in matches if m.group(1) not in values)
        # From the last match back, so the offsets of the earlier ones stay true.
        for match in reversed(matches):
            value = _XML_UNSAFE.sub("", values.get(match.group(1), ""))
            _splice(texts, lengths, match.start(), match.end(), value)
        for t in texts if matches else ():
            if "\n" in (t.text or ""):
                _break_lines(t)
    return list(unknown)


def _splice(texts, lengths, start: int, end: int, value: str) -> None:
    offset, touched = 0, []
    for node, length in zip(texts, lengths, strict=True):
        node_start, node_end = offset, offset + length
        offset = node_end
        if length == 0 or node_end <= start or node_start >= end:
            continue
        text = node.text or ""
        head = text[: start - node_start] if node_start <= start else ""
        tail = text[end - node_start :] if end <= node_end else ""
        node.text = head + (value if not touched else "") + tail
        touched.append(node)
    for node in touched:
        node.set(qn("xml:space"), "preserve")


def _break_lines(t) -> None:
    """A multi-line value (a note) becomes line breaks inside the same run."""
    first, *rest = t.text.replace("\r", "").split("\n")
    t.text = first
    anchor = t
    for line in rest:
        br = OxmlElement("w:br")
        anchor.addnext(br)
        anchor = OxmlElement("w:t")
        anchor.text = line
        anchor.set(qn("xml:space"), "preserve")
        br.addnext(anchor)


# ---- values from the record ----------------------------------------------------------


def _committees(org: Organization) -> list[Organization]:
    """The 党委 on the way from the root down to `org` (itself included), top first."""
    steplen = Organization.steplen
    paths = [org.path[:n] for n in range(steplen, len(org.path) + 1, steplen)]
    return list(
        Organization.objects.filter(path__in=paths, kind=OrgKind.COMMITTEE).order_by("depth")
    )


def hospital_of(org: Organization) -> Organization | None:
    """The hospital's committee: the topmost 党委 above (or at) `org`."""
    committees = _committees(org)
    return committees[0] if committees else None


def hospital_name(committee: Organization) -> str:
    # Committees are named after the hospital ("XX医院党委", "中共XX医院委员会").
    name = committee.name.removeprefix("中共")
    for suffix in ("党委", "委员会"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _age(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return ""
    return str(on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)))


def _joined(names) -> str:
    return "、".join(names)


def form_values(step: DevelopmentStep) -> tuple[dict[str, str], Organization | None]:
    """Every placeholder's text for `step`, and the hospital (which picks the template).
    A fixed number of queries, whatever the person's history."""
    person = step.person
    steps = list(DevelopmentStep.objects.filter(person=person).order_by("done_on", "id"))
    last = {s.code: s for s in steps}
    names: dict[str, list[str]] = {ParticipantRole.CULTIVATOR: [], ParticipantRole.INTRODUCER: []}
    for role, name in (
        StepParticipant.objects.filter(step__person=person)
        .order_by("step__done_on", "step_id", "id")
        .values_list("role", "person__name")
    ):
        names.setdefault(role, []).append(name)
    committees = _committees(step.organization)
    department = person.department or step.organization.department
    values = {
        "person_name": person.name,
        "gender": person.get_gender_display(),
        "birth_date": chinese_date(person.birth_date),
        "age": _age(person.birth_date, step.done_on),
        "id_number_masked": person.id_number_masked,
        "department": department.name if department else "",
        "professional_title": person.professional_title,
        "admin_title": person.admin_title,
        "organization_name": step.organization.name,
        "committee_name": committees[-1].name if committees else "",
        "hospital_name": hospital_name(committees[0]) if committees else "",
        "step_label": step.get_code_display(),
        "done_on": chinese_date(step.done_on),
        "actor": step.actor,
        "note": step.note,
        "late_note": step.late_note,
        "talker": last[S.APPLICATION_TALK].actor if S.APPLICATION_TALK in last else "",
        "activist_reviews": _joined(
            chinese_date(s.done_on) for s in steps if s.code == S.ACTIVIST_REVIEW
        ),
        "cultivators": _joined(names[ParticipantRole.CULTIVATOR]),
        "introducers": _joined(names[ParticipantRole.INTRODUCER]),
        "generated_on": chinese_date(timezone.localdate()),
    }
    for name, (code, _) in STEP_DATES.items():
        values[name] = chinese_date(last[code].done_on) if code in last else ""
    values.update(_imported_admission(last))
    values.update(_probation_values(last))
    values["activist_filed_note"] = FILED if S.ACTIVIST_FILED in last else ""
    values["candidate_filed_note"] = FILED if S.CANDIDATE_FILED in last else ""
    assembly = last.get(S.ASSEMBLY_VOTE)
    values.update(_vote_values(step if step.votes_yes is not None else assembly))
    values.update(_training_values(last.get(S.TRAINING)))
    return values, committees[0] if committees else None


FILED = "已备案。"


def _admitted_on(last: dict) -> dt.date | None:
    """The day the probation began: the branch assembly's vote, or for a member who came
    in through the roster, the 入党日期 it gave (the imported approval milestone's day,
    which is the assembly's day by definition)."""
    if S.ASSEMBLY_VOTE in last:
        return last[S.ASSEMBLY_VOTE].done_on
    approval = last.get(S.APPROVAL)
    return approval.done_on if approval is not None and approval.imported else None


def _imported_admission(last: dict) -> dict[str, str]:
    """An imported approval milestone carries the 入党日期, not the day the committee
    approved: print that day as the assembly's and leave the approval's blank."""
    approval = last.get(S.APPROVAL)
    if approval is None or not approval.imported:
        return {}
    return {"assembly_date": chinese_date(_admitted_on(last)), "approval_date": ""}


def _probation_values(last: dict) -> dict[str, str]:
    start = _admitted_on(last)
    if start is None:
        return {"probation_ends": "", "probation_period": ""}
    ends = add_years(start, rules.PROBATION_YEARS)
    return {
        "probation_ends": chinese_date(ends),
        "probation_period": f"，自{chinese_date(start)}起至{chinese_date(ends)}止",
    }


def _vote_values(vote_step: DevelopmentStep | None) -> dict[str, str]:
    if vote_step is None or vote_step.votes_yes is None:
        fields = ("entitled_voters", "present_voters", "votes_yes", "votes_no", "votes_abstain")
        return {name: "" for name in (*fields, "vote_summary")}
    s = vote_step
    return {
        "entitled_voters": _number(s.entitled_voters),
        "present_voters": _number(s.present_voters),
        "votes_yes": _number(s.votes_yes),
        "votes_no": _number(s.votes_no),
        "votes_abstain": _number(s.votes_abstain),
        "vote_summary": (
            f"应到会有表决权的党员{s.entitled_voters}名，实到{s.present_voters}名；"
            f"赞成{s.votes_yes}票，反对{s.votes_no}票，弃权{s.votes_abstain}票"
        ),
    }


def _training_values(training: DevelopmentStep | None) -> dict[str, str]:
    if training is None:
        return {"training_days": "", "training_hours": "", "training_summary": ""}
    parts = [chinese_date(training.done_on) + "参加集中培训"]
    if training.training_days is not None:
        parts.append(f"{training.training_days}天")
    if training.training_hours is not None:
        parts.append(f"{training.training_hours}学时")
    return {
        "training_days": _number(training.training_days),
        "training_hours": _number(training.training_hours),
        "training_summary": "，".join(parts),
    }


# ---- the whole form ------------------------------------------------------------------


def download_name(form: FormSpec, person_name: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\s]+', "", person_name) or "未命名"
    return f"{form.title}-{safe}.docx"


def render_step_form(step: DevelopmentStep) -> RenderedForm:
    """The step's form filled from the record. Raises LookupError for a step that has
    no standard form."""
    form = form_for_step(step.code)
    if form is None:
        raise LookupError(step.code)
    values, hospital = form_values(step)
    document, template, problems = open_template(form, hospital.code if hospital else "")
    unknown = fill(document, values)
    set_chinese(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return RenderedForm(
        form=form,
        content=buffer.getvalue(),
        filename=download_name(form, step.person.name),
        template=template,
        unknown=unknown,
        problems=problems,
    )
