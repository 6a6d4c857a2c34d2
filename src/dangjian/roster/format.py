"""The roster workbook format (SPEC.md §4): sheet and column names, the Chinese labels of
each coded value, and how one cell is read. Shared by the import and the export, so the
two agree on every label.

Sheets 党组织 and 人员 are required; sheet 委员 (every committee's seats: a hospital's
党委班子, a general branch's, a branch's 支委) is optional."""

import datetime as dt

from dangjian.core.halfwidth import halfwidth
from dangjian.orgs.models import COMMITTEE_POSTS, CommitteePost, DepartmentCategory, OrgKind
from dangjian.people.models import Employment, Gender, Status, TalentCategory
from dangjian.people.stages import STAGE_LABELS, STAGES  # noqa: F401 (STAGES: the export)

ORG_SHEET = "党组织"
PERSON_SHEET = "人员"
COMMITTEE_SHEET = "委员"

ORG_HEADERS = [
    "组织编码",
    "组织名称",
    "上级组织编码",
    "类型",
    "是否临时",
    "对应科室",
    "科室类别",
    "成立日期",
    "本届开始日期",
]
ORG_REQUIRED = ("组织编码", "组织名称", "类型")

# The development pipeline in order: (status, the column holding the day it began).
STAGE_COLUMNS = STAGE_LABELS

PERSON_HEADERS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "手机号",
    "所在组织编码",
    "科室",
    "行政职务",
    "是否科室负责人",
    "职称",
    "人才类别",
    "人员类别",
    "政治面貌",
    "党内职务",
    *STAGE_COLUMNS,
]
PERSON_REQUIRED = ("姓名", "身份证号", "所在组织编码", "政治面貌")

# 姓名 is optional and only checked: when filled it must be the name of the person the ID
# number gives (a guard against a mistyped number that belongs to someone else).
COMMITTEE_HEADERS = ["组织编码", "身份证号", "姓名", "党内职务", "任职日期"]
COMMITTEE_REQUIRED = ("组织编码", "身份证号", "党内职务")

# Other names offices give the columns (header cells are compared without spaces, line
# breaks or full-width letters: `姓  名`, `手机\n号码`). Each sheet has its own: in the 委员
# sheet 职务 is the committee post, in the 人员 sheet the administrative one.
ORG_ALIASES = {
    "党组织编码": "组织编码",
    "编码": "组织编码",
    "党组织名称": "组织名称",
    "名称": "组织名称",
    "上级编码": "上级组织编码",
    "上级党组织编码": "上级组织编码",
    "组织类型": "类型",
    "党组织类型": "类型",
    "临时党组织": "是否临时",
    "是否临时党组织": "是否临时",
    "科室": "对应科室",
    "成立时间": "成立日期",
    "本届开始时间": "本届开始日期",
    "换届日期": "本届开始日期",
    "本届换届日期": "本届开始日期",
}
PERSON_ALIASES = {
    "名字": "姓名",
    "身份证号码": "身份证号",
    "身份证": "身份证号",
    "公民身份号码": "身份证号",
    "公民身份证号码": "身份证号",
    "证件号码": "身份证号",
    "手机号码": "手机号",
    "手机": "手机号",
    "联系电话": "手机号",
    "电话": "手机号",
    "联系方式": "手机号",
    "组织编码": "所在组织编码",
    "党组织编码": "所在组织编码",
    "所在党组织编码": "所在组织编码",
    "所在科室": "科室",
    "部门": "科室",
    "职务": "行政职务",
    "科室负责人": "是否科室负责人",
    "专业技术职称": "职称",
    "技术职称": "职称",
    "专业技术职务": "职称",
    "出生时间": "出生日期",
    "人员身份": "人员类别",
    "党内职务名称": "党内职务",
    "入党申请日期": "申请入党日期",
    "递交入党申请书日期": "申请入党日期",
    "列为积极分子日期": "确定积极分子日期",
    "确定入党积极分子日期": "确定积极分子日期",
    "列为发展对象日期": "确定发展对象日期",
    "入党时间": "入党日期",
    "转正时间": "转正日期",
}
COMMITTEE_ALIASES = {
    "党组织编码": "组织编码",
    "身份证号码": "身份证号",
    "身份证": "身份证号",
    "公民身份号码": "身份证号",
    "职务": "党内职务",
    "委员职务": "党内职务",
    "任职时间": "任职日期",
}
# Columns read by no sheet but known: 所属医院 (the city-level export says which hospital
# a row belongs to) and a row number. They are passed over without a warning.
IGNORED_HEADERS = ("所属医院", "序号")
# 成立日期 is often known to the month only (old branches): `2019.05` is the 1st of May.
MONTH_ONLY_COLUMNS = ("成立日期",)

# The workbook is a fixed exchange format, so its labels are spelled out here rather than
# taken from the (translatable) model choices.
ORG_KINDS = {
    "指导委员会": OrgKind.GUIDANCE_COMMITTEE,
    "党委": OrgKind.COMMITTEE,
    "党总支": OrgKind.GENERAL_BRANCH,
    "党支部": OrgKind.BRANCH,
    "党小组": OrgKind.GROUP,
}
DEPARTMENT_CATEGORIES = {
    "临床": DepartmentCategory.CLINICAL,
    "医技": DepartmentCategory.MEDICAL_TECHNICAL,
    "护理": DepartmentCategory.NURSING,
    "行政": DepartmentCategory.ADMINISTRATIVE,
    "后勤": DepartmentCategory.LOGISTICS,
}
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}
TALENT_CATEGORIES = {
    "医疗专家": TalentCategory.MEDICAL_EXPERT,
    "学科带头人": TalentCategory.DISCIPLINE_LEADER,
    "优秀青年医务人员": TalentCategory.YOUNG_TALENT,
    "业务骨干": TalentCategory.BACKBONE,
    "无": "",
}
EMPLOYMENTS = {"在职": Employment.IN_SERVICE, "离退休": Employment.RETIRED}
MASSES = "群众"
STATUSES = {
    "正式党员": Status.FULL,
    "预备党员": Status.PROBATIONARY,
    "发展对象": Status.CANDIDATE,
    "入党积极分子": Status.ACTIVIST,
    "入党申请人": Status.APPLICANT,
    MASSES: "",
}
POSTS = {
    "书记": CommitteePost.SECRETARY,
    "副书记": CommitteePost.DEPUTY_SECRETARY,
    "组织委员": CommitteePost.ORGANIZATION,
    "宣传委员": CommitteePost.PUBLICITY,
    "纪检委员": CommitteePost.DISCIPLINE,
    "青年委员": CommitteePost.YOUTH,
    "委员": CommitteePost.MEMBER,
    "党小组长": CommitteePost.GROUP_LEADER,
    "无": "",
}
# The 委员 sheet holds committee posts only; a 党小组长 is given in the 人员 sheet.
COMMITTEE_POST_LABELS = {
    label: post for label, post in POSTS.items() if post and post in COMMITTEE_POSTS
}
YES_NO = {"是": True, "否": False}


def label_of(mapping: dict, value, default: str = "") -> str:
    """The workbook label of a stored value (the reverse of one of the maps above)."""
    for label, code in mapping.items():
        if code == value:
            return label
    return default


class CellError(ValueError):
    """A bad cell; the message is the Chinese reason shown after the column name."""


def text(value) -> str:
    """A cell as trimmed text. Whole numbers typed into text columns (an organisation code
    like 101, a phone number) come back from Excel as int or float."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def to_choice(value, mapping: dict, default=None):
    """A labelled value; empty gives `default` (None means the cell is required)."""
    raw = text(value)
    if not raw:
        if default is None:
            raise CellError("不能为空")
        return default
    if raw not in mapping:
        raise CellError(f"“{raw}”不是可选值（可选：{'、'.join(mapping)}）")
    return mapping[raw]


def to_code(value, max_length: int, *, required: bool = False) -> str:
    """An organisation code: full-width digits and letters typed with a Chinese input
    method are made plain (`Ｈ１` is H1)."""
    return to_text(halfwidth(text(value)), max_length, required=required)


def to_text(value, max_length: int, *, required: bool = False) -> str:
    raw = text(value)
    if required and not raw:
        raise CellError("不能为空")
    if len(raw) > max_length:
        raise CellError(f"不能超过 {max_length} 个字")
    return raw
