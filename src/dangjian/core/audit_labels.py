"""What the audit log's codes mean, in Chinese: every action code written by
`audit.record` (directly or through the helpers that pass an action on), grouped as the
auditor looks for them, and the object types and changed fields by their models' own
verbose names. `tests/core/test_audit_labels.py` walks the source so that no action is
added without a label here."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

# (key, group label, {action code: label}); the keys name the groups in the page's filter.
ACTION_GROUPS = (
    ("security", _("账号与安全"), {
        "login": _("登录"),
        "login.failed": _("登录失败"),
        "logout": _("退出登录"),
        "password.set": _("设置初始密码"),
        "password.change": _("修改密码"),
        "otp.enrol": _("绑定身份验证器"),
        "otp.verify": _("动态口令验证"),
        "otp.failed": _("动态口令错误"),
        "otp.reset": _("重置身份验证器"),
        "account.create": _("创建账号"),
        "account.activate": _("启用账号"),
        "account.deactivate": _("停用账号"),
        "account.unlock": _("解除账号锁定"),
        "role.grant": _("授予角色"),
        "role.revoke": _("撤销角色"),
        "security.policy": _("修改安全策略"),
        "api.token": _("生成接口令牌"),
        "api.token_revoke": _("撤销接口令牌"),
        "calendar.feed_revoke": _("作废日历订阅链接"),
    }),
    ("audit", _("审计日志"), {
        "audit.export": _("导出审计日志"),
        "audit.restore": _("从备份恢复数据库"),
        "audit.rekey": _("审计日志改用密钥签名"),
    }),
    ("person", _("人员信息"), {
        "person.create": _("新增人员"),
        "person.update": _("修改人员信息"),
        "person.view": _("查看人员信息"),
        "person.list": _("查看人员名单"),
        "person.reveal": _("查看完整证件号码"),
        "person.file_view": _("查看党员档案"),
        "person.move": _("调整所在组织"),
        "person.mobile": _("登记流动党员"),
        "person.mobile_end": _("结束流动党员登记"),
        "person.standing": _("党籍变动"),
        "person.standing_revoked": _("撤销党籍变动记录"),
    }),
    ("transfer", _("组织关系转接"), {
        "transfer.start": _("发起组织关系转接"),
        "transfer.accept": _("接收组织关系"),
        "transfer.return": _("退回组织关系转接"),
        "transfer.withdraw": _("撤回组织关系转接"),
        "transfer.letter": _("开具组织关系介绍信"),
        "transfer.letter_download": _("下载组织关系介绍信"),
        "transfer.receipt": _("登记介绍信回执"),
        "transfer.void": _("作废组织关系介绍信"),
        "transfer.in": _("系统外转入组织关系"),
    }),
    ("development", _("发展党员"), {
        "development.step": _("记录发展步骤"),
        "development.view": _("查看发展档案"),
        "development.export": _("下载发展材料"),
        "development.form_export": _("导出发展党员表单"),
    }),
    ("meetings", _("组织生活与学习"), {
        "meeting.plan": _("安排会议"),
        "meeting.check_in": _("会议签到"),
        "meeting.attendance": _("登记会议出席"),
        "meeting.held": _("记录会议召开"),
        "meeting.attachment": _("上传会议附件"),
        "meeting.export": _("下载会议附件"),
        "meeting.demo": _("生成演示会议"),
        "study.record": _("登记学习学时"),
        "study.list": _("查看学习台账"),
        "study.person": _("查看个人学习记录"),
        "study.mine": _("查看本人学习记录"),
        "study.course": _("网络课程计入学时"),
        "study.volunteer": _("志愿服务时长计入学时"),
        "study.credit_settings": _("修改学时计入设置"),
    }),
    ("learning", _("学习教育"), {
        "learning.course": _("发布课程"),
        "learning.course_changed": _("修改课程"),
        "learning.document": _("上传课程资料"),
        "learning.video": _("添加课程视频"),
        "learning.download": _("下载课程资料"),
        "learning.question": _("保存题库题目"),
        "learning.exam": _("设置课程考试"),
        "learning.attempt": _("开始考试"),
        "learning.submit": _("提交考试答卷"),
        "learning.complete": _("完成课程"),
        "learning.results": _("查看考试成绩"),
        "learning.export": _("导出考试成绩"),
        "learning.figures": _("查看学习统计"),
        "learning.mine": _("查看本人学习"),
    }),
    ("dues", _("党费"), {
        "dues.base": _("核定党费交纳基数"),
        "dues.bases_import": _("导入党费交纳基数"),
        "dues.bills": _("生成月度党费"),
        "dues.payment": _("交纳党费"),
        "dues.voluntary": _("自愿交纳党费"),
        "dues.reduction": _("少交免交党费审批"),
        "dues.reduction_view": _("查看少交免交申请"),
        "dues.person": _("查看个人党费"),
        "dues.mine": _("查看本人党费"),
        "dues.export": _("导出党费台账"),
        "dues.follow_move": _("党费随组织关系转移"),
        "dues.settings": _("修改党费设置"),
    }),
    ("tasks", _("任务台账"), {
        "tasks.list": _("建立年度任务清单"),
        "tasks.area": _("新增任务方面"),
        "tasks.task": _("新增任务"),
        "tasks.task_changed": _("修改任务"),
        "tasks.progress": _("登记任务进展"),
        "tasks.close_applied": _("申请销号"),
        "tasks.closed": _("任务销号"),
        "tasks.close_returned": _("退回销号申请"),
        "tasks.reopened": _("重新打开任务"),
        "tasks.export": _("导出任务台账或佐证材料"),
    }),
    ("decisions", _("三重一大"), {
        "decisions.settings": _("修改三重一大设置"),
        "decisions.matter": _("登记三重一大事项"),
        "decisions.consultation": _("登记专家论证"),
        "decisions.solicitation": _("登记征求意见"),
        "decisions.follow_up": _("登记落实情况"),
        "decisions.meeting": _("登记决策会议"),
        "decisions.attendance": _("登记决策会议出席"),
        "decisions.agenda": _("列入会议议程"),
        "decisions.outcome": _("登记表决结果"),
        "decisions.minutes": _("记录会议纪要"),
        "decisions.attachment": _("上传决策会议附件"),
        "decisions.export": _("导出三重一大台账或附件"),
    }),
    ("service", _("志愿服务与为民办实事"), {
        "service.activity": _("登记志愿服务活动"),
        "service.photos": _("上传志愿服务照片"),
        "service.photo_download": _("下载志愿服务照片"),
        "service.problem": _("登记群众身边问题"),
        "service.resolve": _("办结问题"),
        "service.visit": _("登记领导下沉走访"),
        "service.target": _("设置年度服务目标"),
        "service.post": _("设立党员示范岗·责任区·突击队"),
        "service.post_record": _("登记示范岗事迹"),
        "service.partnership": _("登记共建协议"),
        "service.partnership_edit": _("修改共建协议"),
        "service.partnership_end": _("终止共建协议"),
        "service.alliance": _("成立党建联盟"),
        "service.alliance_edit": _("修改党建联盟"),
        "service.alliance_end": _("解散党建联盟"),
        "brands.create": _("创建党建品牌"),
        "brands.edit": _("修改党建品牌"),
        "brands.evidence": _("关联党建品牌佐证"),
        "brands.evidence_remove": _("移除党建品牌佐证"),
        "brands.logo_download": _("下载党建品牌标识"),
    }),
    ("points", _("党员积分"), {
        "points.rules": _("修改积分规则"),
        "points.propose": _("提出加减分"),
        "points.decide": _("审核加减分"),
        "points.reverse": _("提出冲销加减分"),
        "points.view": _("查看党员积分"),
        "points.export": _("导出积分排名"),
    }),
    ("notices", _("通知与消息"), {
        "notices.publish": _("发布通知公告"),
        "notices.pin": _("置顶或取消置顶通知"),
        "notices.withdraw": _("撤回通知公告"),
        "notices.attachment_download": _("下载通知附件"),
        "notices.preferences": _("修改消息接收设置"),
        "notices.webhook_save": _("设置群机器人"),
        "notices.webhook_delete": _("删除群机器人"),
        "notices.webhook_test": _("发送群机器人测试消息"),
        "notices.retry": _("重新发送消息"),
    }),
    ("surveys", _("问卷与投票"), {
        "surveys.create": _("发起问卷"),
        "surveys.update": _("修改问卷设置"),
        "surveys.question": _("添加问卷题目"),
        "surveys.question_removed": _("删除问卷题目"),
        "surveys.publish": _("发布问卷"),
        "surveys.close": _("提前截止问卷"),
        "surveys.answer": _("提交问卷"),
        "surveys.export": _("导出问卷结果"),
    }),
    ("care", _("党内关怀"), {
        "care.case": _("登记困难党员"),
        "care.case_changed": _("修改困难党员登记"),
        "care.resolved": _("困难党员脱困"),
        "care.visit": _("登记帮扶慰问"),
        "care.list": _("查看困难党员或慰问台账"),
        "care.view": _("查看困难党员情况"),
        "care.export": _("导出慰问台账"),
    }),
    ("assessment", _("考核与通报"), {
        "assessment.read_bulletin": _("查看党政管理通报"),
        "assessment.export_bulletin": _("下载党政管理通报"),
        "assessment.publish_bulletin": _("发布党政管理通报"),
        "assessment.read_scores": _("查看考核评分"),
        "assessment.export_scores": _("下载考核评分表"),
        "assessment.finalise": _("评定考核结果"),
        "assessment.appraise": _("登记民主评议党员结果"),
        "assessment.read_appraisal": _("查看民主评议党员结果"),
        "assessment.review_secretary": _("书记抓党建述职评议"),
        "assessment.read_reviews": _("查看述职评议"),
    }),
    ("honors", _("荣誉表彰"), {
        "honors.record": _("登记荣誉"),
        "honors.certificate_download": _("下载荣誉证书"),
        "honors.revoke": _("撤销误录的荣誉"),
        "honors.round_open": _("发起评选"),
        "honors.recommend": _("推荐评选对象"),
        "honors.round_review": _("结束推荐、进入评审"),
        "honors.round_panel": _("调整评审组"),
        "honors.review": _("评审打分"),
        "honors.round_notice": _("公示拟表彰名单"),
        "honors.objection": _("登记公示异议"),
        "honors.round_approve": _("审定评选结果"),
        "honors.material_download": _("下载推荐材料"),
    }),
    ("orgs", _("党组织"), {
        "org.create": _("新建党组织"),
        "org.department_create": _("新建科室"),
        "org.rename": _("党组织更名"),
        "org.joint_departments": _("调整联建科室"),
        "org.dissolve": _("撤销党组织"),
        "org.split": _("拆分党组织"),
        "org.merge": _("合并党组织"),
        "org.end_temporary": _("撤销临时党支部"),
        "org.seat_appoint": _("委员任职"),
        "org.seat_end": _("委员离任"),
        "org.election": _("换届选举"),
        "org.election_revoke": _("撤销选举结果"),
        "org.term_extend": _("延期换届"),
    }),
    ("roster", _("党员名册"), {
        "roster.import": _("导入名册"),
        "roster.preview": _("预检名册"),
        "roster.refused": _("名册导入被拒"),
        "roster.export": _("导出名册"),
    }),
    ("dashboard", _("统计"), {
        "dashboard.export": _("导出统计表"),
    }),
    ("api", _("接口查询"), {
        "api.members.list": _("接口查询党员名单"),
        "api.member.view": _("接口查看党员"),
        "api.dues.bills": _("接口查询党费"),
        "api.dues.arrears": _("接口查询欠缴党费"),
        "api.study.list": _("接口查询学习记录"),
        "api.honours.list": _("接口查询荣誉"),
        "api.honours.view": _("接口查看荣誉"),
    }),
)  # fmt: skip

ACTION_LABELS = {
    code: label for _key, _group, codes in ACTION_GROUPS for code, label in codes.items()
}
GROUP_ACTIONS = {key: tuple(codes) for key, _group, codes in ACTION_GROUPS}

# Entries whose changes are fields of another model than their object (a base fixed for
# a person changes the person's dues base).
CHANGED_MODELS = {"dues.base": "dues.duesbase"}

# Object types that are not models.
OTHER_OBJECT_TYPES = {"backup": _("备份")}

# What the summaries carry, by key: the "内容" column in words, in this order (PostgreSQL's
# jsonb keeps a summary's keys in an order of its own).
SUMMARY_LABELS = {
    "from": _("原"), "to": _("现"), "on": _("日期"), "org": _("组织"),
    "code": _("组织编码"), "name": _("名称"), "year": _("年度"), "month": _("月份"),
    "months": _("月份"), "status": _("状态"), "amount": _("金额"), "total": _("合计"),
    "base": _("基数"), "category": _("类别"), "person": _("人员"), "people": _("人数"),
    "members": _("人数"), "title": _("标题"), "file": _("文件"), "files": _("文件"),
    "username": _("账号"), "role": _("角色"), "kind": _("类别"), "step": _("步骤"),
    "done_on": _("办理日期"), "late": _("逾期说明"), "held_on": _("召开日期"),
    "due_on": _("截止日期"), "letter": _("介绍信编号"), "transfer": _("转接编号"),
    "fields": _("修改的项目"), "changes": _("修改内容"), "hours": _("学时"),
    "planned_on": _("计划日期"), "place": _("地点"), "direction": _("流向"),
    "errors": _("错误"), "warnings": _("提示"), "q": _("查询"), "filters": _("筛选条件"),
    "entries": _("条数"), "post": _("职务"), "change": _("变动"), "state": _("状态"),
    "reason": _("理由"),
}  # fmt: skip
SUMMARY_ORDER = {key: i for i, key in enumerate(SUMMARY_LABELS)}


def in_summary_order(keys) -> list:
    return sorted(keys, key=lambda key: (SUMMARY_ORDER.get(key, len(SUMMARY_ORDER)), key))


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def action_choices() -> list:
    """For a grouped select: each group first as a whole, then its actions."""
    return [
        (str(group), [(f"@{key}", f"{group}（全部）")] + [(c, str(v)) for c, v in codes.items()])
        for key, group, codes in ACTION_GROUPS
    ]


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type) if object_type else None
    if model is not None:
        return str(model._meta.verbose_name)
    return str(OTHER_OBJECT_TYPES.get(object_type, object_type))


def _field(object_type: str, name: str):
    model = _model(object_type)
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def field_label(object_type: str, name: str) -> str:
    """A changed field by its model's verbose name (`org` of a task: the responsible
    organisation's code, as the summary records it)."""
    field = _field(object_type, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return str(SUMMARY_LABELS.get(name, name))


def in_field_order(object_type: str, names) -> list:
    """Changed fields in the order the model declares them (PostgreSQL's jsonb keeps a
    summary's keys in an order of its own)."""
    model = _model(object_type)
    declared = [f.name for f in model._meta.get_fields()] if model is not None else []
    position = {name: i for i, name in enumerate(declared)}
    return sorted(names, key=lambda name: (position.get(name, len(declared)), name))


def field_value(object_type: str, name: str, value) -> str:
    """A recorded value as the pages show it: a choice by its label, yes / no, a dash
    for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    field = _field(object_type, name)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if isinstance(value, str | int) and value in choices:
        return str(choices[value])
    return str(value)


# Where an action's summary key means something else than the table above says.
ACTION_SUMMARY_LABELS = {
    "dues.base": {"from": _("执行月份"), "category": _("党费类别"), "base": _("月交纳基数")},
    "person.move": {"from": _("原组织"), "to": _("新组织")},
    "transfer.start": {"to": _("转入组织")},
    "transfer.accept": {"from": _("转出组织")},
}


# Summary values that are a model field's choices: shown by the choice's label.
SUMMARY_CHOICES = {
    "meeting.attendance": {"from": "meetings.attendance.state", "to": "meetings.attendance.state"},
    "meeting.plan": {"kind": "meetings.meeting.kind"},
    "person.create": {"status": "people.statusperiod.status"},
    "person.standing": {"change": "people.statusperiod.change",
                        "from": "people.statusperiod.status", "to": "people.statusperiod.status"},
    "person.standing_revoked": {"change": "people.statusperiod.change"},
    "dues.base": {"category": "dues.duesbase.category"},
    "dues.reduction": {"status": "dues.duesreduction.status"},
    "dues.voluntary": {"kind": "dues.voluntarypayment.kind"},
    "decisions.attendance": {"state": "decisions.decisionattendance.state"},
    "decisions.matter": {"category": "decisions.majormatter.category"},
    "org.create": {"kind": "orgs.organization.kind"},
    "role.grant": {"role": "accounts.rolegrant.role"},
}  # fmt: skip


def summary_value(of_action: str, key: str, value) -> str | None:
    """A summary value by its choice's label, where the table above knows its field;
    None where it does not."""
    where = SUMMARY_CHOICES.get(of_action, {}).get(key)
    if where is None:
        return None
    object_type, name = where.rsplit(".", 1)
    return field_value(object_type, name, value)


def summary_label(key: str, of_action: str = "") -> str:
    label = ACTION_SUMMARY_LABELS.get(of_action, {}).get(key) or SUMMARY_LABELS.get(key, key)
    return str(label)
