"""The 三重一大 register of the demo hospital after seed 004 (佳木斯市传染病院): since
1 January four years back, 198 matters decided by the Party committee, 46 expert
consultations and 136 opinions solicited ("2021年以来,累计开展专家咨询和论证46场次,征求
意见建议136条,决策……“三重一大”事项198件").

Everything goes through `decisions.services`, so each decision passes the quorum and
majority rules it would face in the app: the hospital's committee of seven (imported with its
roster's 委员 sheet, `hospitals_b.H04_COMMITTEE`), each 党委会 expecting it as planning one
in the app does, meetings twice a month, projects and funds discussed first at the president's office meeting, two items
voted down, and three matters still waiting for the next meeting. Every name is fictitious.
"""

import datetime as dt
import random

from dangjian.decisions import services
from dangjian.decisions.models import AttendanceState, MajorMatter
from dangjian.decisions.rules import Body, MatterCategory, Outcome, is_president
from dangjian.orgs.models import COMMITTEE_POSTS, CommitteeSeat, Organization
from dangjian.people.models import Employment, Person, Status

from .dates import add_months, between, first_of_month, spread

REGISTER_HOSPITAL = "DEMO-H04"
DECIDED = {  # 198 in all
    MatterCategory.MAJOR_DECISION: 58,
    MatterCategory.KEY_APPOINTMENT: 44,
    MatterCategory.MAJOR_PROJECT: 39,
    MatterCategory.LARGE_FUND: 57,
}
CONSULTATIONS, OPINIONS, SOLICITATION_ROUNDS = 46, 136, 28
REJECTED = 2
THRESHOLD = 500_000

TITLES = {
    MatterCategory.MAJOR_DECISION: (
        "医院年度财务预算方案", "绩效分配方案修订", "医院“十四五”发展规划中期调整",
        "职工薪酬制度改革方案", "党务政务公开制度修订", "医疗质量安全管理办法修订",
        "传染病应急救治预案修订", "医联体建设实施方案", "年度招聘计划",
        "专科联盟章程", "科研奖励办法修订", "廉洁从业若干规定",
    ),
    MatterCategory.KEY_APPOINTMENT: (
        "科室主任聘任", "中层干部竞聘上岗人选", "护士长任免", "职能科室负责人任免",
        "党支部书记人选", "干部挂职交流人选", "后备干部推荐人选",
    ),
    MatterCategory.MAJOR_PROJECT: (
        "感染病诊疗中心改扩建工程", "人工肝治疗中心建设", "互联网医院平台建设",
        "负压病房改造", "信息系统等级保护测评整改", "发热门诊标准化建设",
        "丙肝筛查民生实事项目", "院区污水处理站改造",
    ),
    MatterCategory.LARGE_FUND: (
        "高分辨率CT采购", "数字化减影血管造影机采购", "人工肝设备采购",
        "年度药品耗材集中采购", "物业服务外包合同", "信息化建设年度预算执行",
        "医用氧气管道改造资金", "科研专项经费使用",
    ),
}  # fmt: skip
PROPOSERS = {
    MatterCategory.MAJOR_DECISION: ("党政办公室", "财务科", "医务科", "人力资源科"),
    MatterCategory.KEY_APPOINTMENT: ("党委组织部", "人力资源科"),
    MatterCategory.MAJOR_PROJECT: ("基建科", "信息中心", "医务科", "后勤保障部"),
    MatterCategory.LARGE_FUND: ("设备科", "财务科", "后勤保障部", "信息中心"),
}
PANELS = ("医疗设备论证专家组", "基建工程专家委员会", "医疗技术专家委员会", "财务审计专家组")
AUDIENCES = ("全院职工", "职工代表", "中层干部", "临床科室主任", "离退休党员代表")
LEAVE_REASONS = ("外出参加学术会议", "下乡对口支援", "公出", "病假")


def load_demo_register(today: dt.date, seed: int, window_start: dt.date) -> int:
    """Create the register; returns the number of matters decided."""
    rng = random.Random(f"{seed}:register")
    hospital = Organization.objects.get(code=REGISTER_HOSPITAL)
    services.save_settings(
        hospital, large_fund_threshold=THRESHOLD,
        party_committee_categories=list(MatterCategory.values), president_office_categories=[],
    )  # fmt: skip
    committee, president_office = _leaders(hospital, rng)
    days = _meeting_days(window_start, today)
    plan = [c for c, n in DECIDED.items() for _ in range(n)]
    rng.shuffle(plan)
    rejected = set(rng.sample([i for i, c in enumerate(plan) if c != "key_appointment"], REJECTED))
    slots: dict[dt.date, list[int]] = {}
    for i in range(len(plan)):
        slots.setdefault(days[i * len(days) // len(plan)], []).append(i)
    matters, numbers = {}, {}
    for day, items in sorted(slots.items()):
        for i in items:
            matters[i] = _matter(hospital, plan[i], day, window_start, rng)
        first = [matters[i] for i in items if plan[i] in ("major_project", "large_fund")]
        if first and rng.random() < 0.8:
            _president_office(hospital, president_office, day - dt.timedelta(days=4), first)
        numbers[day.year] = numbers.get(day.year, 0) + 1
        title = f"{day.year}年第{numbers[day.year]}次党委会"
        voted_down = {matters[i].pk for i in items if i in rejected}
        agenda = [matters[i] for i in items]
        _party_committee(hospital, day, title, agenda, voted_down, committee, rng, today)
    _gathering(
        list(
            MajorMatter.objects.filter(organization=hospital, decided_on__isnull=False).order_by(
                "pk"
            )
        ),
        rng,
    )
    _waiting(hospital, today, rng)
    return len(plan)


def _leaders(hospital, rng) -> tuple[list[Person], list[Person]]:
    """The hospital's committee as the roster seated it, its secretary first, and the
    president's office meeting: the president (a deputy secretary: the secretary and the
    president are different people), the secretary and three more in-service members."""
    order = {post: i for i, post in enumerate(COMMITTEE_POSTS)}
    seats = CommitteeSeat.objects.filter(
        organization=hospital, ended_on__isnull=True, post__in=COMMITTEE_POSTS
    ).select_related("person")
    committee = [s.person for s in sorted(seats, key=lambda s: (order[s.post], s.person_id))]
    president = next(p for p in committee if is_president(p.admin_title))
    others = list(
        Person.objects.filter(
            organization__path__startswith=hospital.path,
            employment=Employment.IN_SERVICE,
            statuses__status=Status.FULL,
            statuses__ended_on__isnull=True,
        )
        .exclude(pk__in=[p.pk for p in committee])
        .distinct()
        .order_by("pk")
    )
    return committee, [president, committee[0], *rng.sample(others, 3)]


def _meeting_days(window_start: dt.date, today: dt.date) -> list[dt.date]:
    """The 10th and 25th of each month, from the window's second month to yesterday."""
    days, month = [], add_months(first_of_month(window_start), 1)
    while month < today:
        days += [d for d in (month.replace(day=10), month.replace(day=25)) if d < today]
        month = add_months(month, 1)
    return days


def _matter(hospital, category, meeting_day, window_start, rng):
    title = rng.choice(TITLES[category])
    amount = None
    if category == MatterCategory.LARGE_FUND:
        amount = rng.randrange(60, 900) * 10_000
    elif category == MatterCategory.MAJOR_PROJECT:
        amount = rng.randrange(100, 3000) * 10_000
    proposed = max(window_start, meeting_day - dt.timedelta(days=rng.randint(12, 40)))
    return services.register_matter(
        hospital,
        services.MatterInput(
            category=category, title=f"{meeting_day.year}年{title}",
            proposer=rng.choice(PROPOSERS[category]), proposed_on=proposed,
            description=f"关于{title}的请示", amount=amount,
        ),
        today=meeting_day,
    )  # fmt: skip


def _president_office(hospital, attendees, day, matters) -> None:
    meeting = services.plan_meeting(
        hospital, body=Body.PRESIDENT_OFFICE, title=f"{day:%Y年%m月%d日}院长办公会",
        held_on=day, attendees=attendees, chair=attendees[0].name,
    )  # fmt: skip
    for matter in matters:
        item = services.add_agenda_item(meeting, matter)
        services.record_outcome(item, services.OutcomeInput(Outcome.DISCUSSED), today=day)


def _party_committee(hospital, day, title, matters, voted_down, committee, rng, today):
    meeting = services.plan_meeting(
        hospital, body=Body.PARTY_COMMITTEE, title=title,
        held_on=day, chair=committee[0].name, place="党委会议室",
    )  # fmt: skip
    absent = rng.sample(committee[1:], rng.choice((0, 0, 0, 1, 1)))
    for person in absent:
        services.set_attendance(
            meeting, person, state=AttendanceState.LEAVE, reason=rng.choice(LEAVE_REASONS),
            written_opinion="同意提交会议的各项议题" if rng.random() < 0.5 else "",
        )  # fmt: skip
    present = len(committee) - len(absent)
    for matter in matters:
        item = services.add_agenda_item(meeting, matter)
        if matter.pk in voted_down:
            data = services.OutcomeInput(
                Outcome.REJECTED, decision="暂不实施，请提出部门进一步论证后再行提交",
                votes_for=2, votes_against=present - 3, votes_abstain=1,
            )  # fmt: skip
        else:
            against = 1 if present == len(committee) and rng.random() < 0.1 else 0
            data = services.OutcomeInput(
                Outcome.APPROVED, decision=f"同意{matter.title.split('年', 1)[1]}",
                votes_for=present - against, votes_against=against,
            )  # fmt: skip
        services.record_outcome(item, data, today=day)
        if data.outcome == Outcome.APPROVED:
            done = (today - day).days > 90
            services.record_follow_up(
                matter, text="已按决定执行完毕" if done else "正在组织落实", done=done
            )
    services.record_minutes(meeting, f"{meeting.title}研究了{len(matters)}项“三重一大”事项。")


def _gathering(matters, rng) -> None:
    """46 consultations on projects, funds and major decisions; 136 opinions in 28
    rounds on the decisions that touch staff, each before the decision."""
    weighed = [m for m in matters if m.category != MatterCategory.KEY_APPOINTMENT]
    for matter in rng.sample(weighed, CONSULTATIONS):
        services.add_consultation(
            matter, held_on=between(rng, matter.proposed_on, matter.decided_on),
            panel=rng.choice(PANELS), experts=rng.randint(5, 9), conclusion="论证可行",
            today=matter.decided_on,
        )  # fmt: skip
    staff = [m for m in matters if m.category == MatterCategory.MAJOR_DECISION]
    counts = spread(rng, OPINIONS, SOLICITATION_ROUNDS, 1, 12)
    for matter, opinions in zip(rng.sample(staff, SOLICITATION_ROUNDS), counts, strict=True):
        services.add_solicitation(
            matter, solicited_on=between(rng, matter.proposed_on, matter.decided_on),
            audience=rng.choice(AUDIENCES), opinions=opinions, summary="意见建议已逐条研究吸纳",
            today=matter.decided_on,
        )  # fmt: skip


def _waiting(hospital, today, rng) -> None:
    """Three matters proposed lately, two on the agenda of the next Party committee."""
    upcoming = services.plan_meeting(
        hospital, body=Body.PARTY_COMMITTEE, title=f"{today.year}年党委会（待召开）",
        held_on=today + dt.timedelta(days=7), place="党委会议室",
    )  # fmt: skip
    for i, category in enumerate(
        (MatterCategory.KEY_APPOINTMENT, MatterCategory.LARGE_FUND, MatterCategory.MAJOR_DECISION)
    ):
        matter = _matter(hospital, category, today, today - dt.timedelta(days=20), rng)
        if i < 2:
            services.add_agenda_item(upcoming, matter)
