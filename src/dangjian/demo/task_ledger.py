"""This year's target list of the demo hospital after seed 004 (佳木斯市传染病院):
"细化分解9方面54项目标任务", run the 清单-台账-销号 way through `tasks.services`.

Tasks due before the load day are mostly closed (销号) with evidence, a few are overdue
(one with its close-out sent back), one waits for review; later tasks carry ledger
entries in proportion to the time gone. Every name is fictitious.
"""

import datetime as dt
import random

from django.core.files.base import ContentFile

from dangjian.orgs.models import CommitteeSeat, Organization, OrgKind
from dangjian.people.models import Person
from dangjian.tasks import services
from dangjian.tasks.models import ProgressKind

from .register import REGISTER_HOSPITAL

LEDGER_HOSPITAL = REGISTER_HOSPITAL
AREAS = {  # 9 areas, 6 tasks each: 54
    "政治建设": (
        "落实党委领导下的院长负责制", "修订党委会议事规则", "修订院长办公会议事规则",
        "执行“三重一大”集体决策制度", "开展党委理论学习中心组学习", "落实意识形态工作责任制",
    ),
    "思想建设": (
        "开展党纪学习教育", "推进“书记带头学、支部跟进学、党员主动学”", "办好“业务大讲堂”",
        "组建青年理论学习小组", "开展红色教育基地现场教学", "开展党员冬训",
    ),
    "组织建设": (
        "落实“支部建在科室”", "完成到期党支部换届", "实施“双带头人”培育工程",
        "落实“双培养”机制", "规范“三会一课”", "开展“四强”党支部创建",
    ),
    "党风廉政建设": (
        "开展分层分类警示教育", "更新廉洁文化长廊", "编发廉洁医院简报",
        "落实新职工廉洁从业第一课", "开展节前廉洁提醒", "开展医药购销领域专项整治",
    ),
    "医德医风建设": (
        "开展医德医风考评", "落实九项准则", "开展患者满意度调查",
        "办好专病门诊和特需门诊", "推进“互联网+”预约诊疗", "开展行风问题专项治理",
    ),
    "人才队伍建设": (
        "推进人才发展“五联工程”", "实施“薪火传承计划”", "引进急需紧缺专业人才",
        "选送骨干名院进修", "培养省级优秀中青年专家", "完善后备干部库",
    ),
    "党建业务融合": (
        "打造“用爱感染你”支部品牌", "开展“肝胆相照”社区义诊", "开展“呼吸与共”健康宣教",
        "推进“精准检验”品牌建设", "开展“康肝计划”下乡义诊", "组织丙肝筛查民生实事",
    ),
    "群团统战工作": (
        "召开职工代表大会", "开展青年文明号创建", "做好党外知识分子联系服务",
        "开展职工文体活动", "关爱离退休党员", "做好困难职工帮扶",
    ),
    "基础保障": (
        "落实党建工作经费", "建设党员活动阵地", "完善党建信息化平台",
        "配齐配强党务工作者", "开展党务干部培训", "完成年度党建工作考核",
    ),
}  # fmt: skip
DUE_MONTHS = (3, 6, 6, 9, 12, 12)
OVERDUE, PENDING = 3, 1  # of the tasks already due: left open (one sent back), awaiting review
EVIDENCE = b"%PDF-1.4\n% demo evidence\n"


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def load_demo_tasks(today: dt.date, seed: int) -> int:
    """Create this year's list; returns the number of tasks."""
    rng = random.Random(f"{seed}:tasks")
    hospital = Organization.objects.get(code=LEDGER_HOSPITAL)
    owners = list(
        Person.objects.filter(
            pk__in=CommitteeSeat.objects.filter(organization=hospital).values("person_id")
        ).order_by("pk")
    )
    branches = list(
        Organization.objects.filter(path__startswith=hospital.path, kind=OrgKind.BRANCH).order_by(
            "path"
        )
    )
    target = services.create_target_list(
        hospital, year=today.year, title=f"{hospital.name}{today.year}年度党建工作目标任务清单"
    )
    tasks = []
    for area_name, titles in AREAS.items():
        area = services.add_area(target, area_name)
        for title, month in zip(titles, DUE_MONTHS, strict=True):
            branch_task = rng.random() < 0.25
            data = services.TaskInput(
                title=title,
                responsible_org=rng.choice(branches) if branch_task else hospital,
                owners=rng.sample(owners, rng.choice((1, 1, 2))),
                starts_on=dt.date(today.year, 1, 1),
                due_on=_month_end(today.year, month),
                expected_result=f"{title}取得实效，形成可查阅的台账资料",
                weight=rng.choice((1, 1, 2)),
                progress_kind=ProgressKind.MILESTONES
                if rng.random() < 0.15
                else ProgressKind.PERCENT,
                milestones=[("制定方案", None), ("组织实施", None), ("总结验收", None)],
            )
            if data.progress_kind == ProgressKind.PERCENT:
                data.milestones = []
            tasks.append(services.add_task(area, data))
    _run_the_year(tasks, today, rng)
    return len(tasks)


def _run_the_year(tasks, today: dt.date, rng: random.Random) -> None:
    due = [t for t in tasks if t.due_on < today]
    left_open = sorted(rng.sample(range(len(due)), min(OVERDUE + PENDING, len(due))))
    returned, pending = (left_open + [None, None])[:2]
    for index, task in enumerate(due):
        _progress(task, today, rng, share=1.0)
        applied = min(task.due_on - dt.timedelta(days=rng.randint(3, 15)), today)
        if index not in left_open:
            _close(task, applied, min(applied + dt.timedelta(days=rng.randint(1, 4)), today))
        elif index == returned:
            services.apply_close(task, summary="基本完成", files=[_evidence()], today=applied)
            services.return_close(task, reason="佐证材料不全，请补充会议记录", today=applied)
        elif index == pending:
            services.apply_close(
                task, summary="已完成，申请销号", files=[_evidence()], today=applied
            )
    for task in (t for t in tasks if t.due_on >= today):
        elapsed = (today - task.starts_on).days / max((task.due_on - task.starts_on).days, 1)
        _progress(task, today, rng, share=elapsed)


def _evidence() -> ContentFile:
    return ContentFile(EVIDENCE, name="佐证材料.pdf")


def _progress(task, today: dt.date, rng: random.Random, share: float) -> None:
    """Ledger entries up to `share` of the way through the task."""
    if share <= 0:
        return
    span = (min(task.due_on, today) - task.starts_on).days
    steps = (
        task.milestones.order_by("pk") if task.progress_kind == ProgressKind.MILESTONES else None
    )
    entries = max(1, min(3, int(share * 3)))
    for n in range(1, entries + 1):
        day = task.starts_on + dt.timedelta(days=span * n // (entries + 1))
        if steps is not None:
            milestone = steps.filter(done_on__isnull=True).first()
            if milestone is None:
                break
            services.record_progress(
                task, text=f"完成“{milestone.title}”", recorded_on=day, milestone=milestone,
                today=today,
            )  # fmt: skip
        else:
            percent = min(95, int(share * 100 * n / entries) // 5 * 5)
            services.record_progress(
                task, text="按计划推进，已形成阶段性成果", recorded_on=day, percent=percent,
                files=[_evidence()] if n == entries else [], today=today,
            )  # fmt: skip


def _close(task, applied: dt.date, approved: dt.date) -> None:
    services.apply_close(
        task, summary="已按清单要求完成，佐证材料齐全", files=[_evidence()], today=applied
    )
    services.approve_close(task, today=approved)
