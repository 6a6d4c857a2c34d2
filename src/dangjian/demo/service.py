"""A year of volunteer service and 我为群众办实事 at the demo hospital after seed 000
(示例西藏成办医院): 义诊, 送医上门, 家庭病床 and health talks twice a month by its
branches, problems found by leaders' visits and patients' feedback, most resolved on
time, the year's targets, and a 党员示范岗. Every name is fictitious; the same seed and
day give the same records."""

import datetime as dt
import random
from decimal import Decimal

from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Person
from dangjian.service import services
from dangjian.service.models import Problem
from dangjian.service.rules import ActivityKind, PostKind, ProblemSource

HOSPITAL = "DEMO-H01"
ACTIVITIES = (
    (ActivityKind.CLINIC, "社区义诊", "成都市武侯区社区卫生服务中心", (200, 500)),
    (ActivityKind.HOME_VISIT, "送医上门", "辖区居民家中", (10, 30)),
    (ActivityKind.HOME_BED, "家庭病床巡诊", "辖区居民家中", (6, 15)),
    (ActivityKind.HEALTH_TALK, "高原病健康宣教", "门诊大厅", (100, 300)),
    (ActivityKind.VOLUNTEER, "门诊导医志愿服务", "门诊大厅", (300, 800)),
)
PROBLEMS = (
    ("门诊高峰期候诊时间长", ProblemSource.PATIENT),
    ("藏族患者就诊语言沟通不便", ProblemSource.LEADER_VISIT),
    ("住院部夜间陪护床位不足", ProblemSource.LEADER_VISIT),
    ("检验报告领取需往返排队", ProblemSource.PATIENT),
    ("门诊停车位紧张", ProblemSource.MEMBER),
    ("出院结算窗口少", ProblemSource.INSPECTION),
)


def load_demo_service(today: dt.date, seed: int) -> None:
    rng = random.Random(f"{seed}:service")
    hospital = Organization.objects.get(code=HOSPITAL)
    branches = list(
        Organization.objects.filter(
            path__startswith=hospital.path, kind=OrgKind.BRANCH, dissolved_on__isnull=True
        ).order_by("path")
    )
    people = {
        branch.pk: list(Person.objects.filter(organization=branch).order_by("pk"))
        for branch in branches
    }
    branches = [b for b in branches if people[b.pk]]
    start = today - dt.timedelta(days=364)
    for week in range(0, 52, 2):  # about two activities a month
        branch = branches[rng.randrange(len(branches))]
        kind, title, place, served = ACTIVITIES[rng.randrange(len(ACTIVITIES))]
        team = rng.sample(people[branch.pk], min(len(people[branch.pk]), rng.randint(3, 6)))
        partner = branches[rng.randrange(len(branches))]
        services.record_activity(
            branch,
            services.ActivityInput(
                kind=kind, title=f"{branch.name}{title}", place=place,
                held_on=start + dt.timedelta(days=week * 7 + rng.randrange(7)),
                hours=Decimal(rng.choice(("2", "3", "4"))),
                people_served=rng.randint(*served), volunteers=team,
                partners=[partner] if partner != branch and rng.random() < 0.25 else [],
            ),
        )  # fmt: skip
    leader = people[branches[0].pk][0]
    for i in range(18):
        branch = branches[rng.randrange(len(branches))]
        title, source = PROBLEMS[i % len(PROBLEMS)]
        found = start + dt.timedelta(days=rng.randrange(330))
        data = services.ProblemInput(
            title=title, source=source, found_on=found,
            deadline=found + dt.timedelta(days=rng.choice((15, 30, 60))),
            owner=people[branch.pk][-1],
        )  # fmt: skip
        if source == ProblemSource.LEADER_VISIT:
            services.record_visit(branch, leader, found, "院领导联系支部走访", [data])
        else:
            services.record_problem(branch, data)
    for problem in Problem.objects.filter(organization__path__startswith=hospital.path).order_by(
        "pk"
    )[:15]:
        late = rng.random() < 0.2
        resolved = problem.deadline + dt.timedelta(
            days=rng.randint(1, 10) if late else -rng.randint(0, 10)
        )
        resolved = min(max(resolved, problem.found_on), today)
        services.resolve_problem(problem, resolved, "已制定整改措施并落实到位")
    services.set_target(hospital, today.year, people_served=8000, practical_matters=20)
    team = [p for branch in branches[:2] for p in people[branch.pk][:3]]
    post = services.create_post(
        branches[0], PostKind.SHOCK_TEAM, "党员医疗突击队", team, start,
        "承担急危重症救治、巡回医疗和突发公共卫生事件应急任务",
    )  # fmt: skip
    services.add_post_record(
        post, start + dt.timedelta(days=120), "赴牧区开展巡回医疗，义诊 300 余人次"
    )
