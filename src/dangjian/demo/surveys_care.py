"""The demo hospital's surveys and member care, written through `surveys.services` and
`care.services`:

- an anonymous vote of the whole hospital (closed two days ago, results public) that
  most members answered;
- a named survey of demo_member's branch, open for a week, answered by the branch but
  not yet by demo_member (the member's phone shows it to answer);
- an anonymous hospital survey on study needs, open, answered by some;
- a few 困难党员 with their help, and 七一 and sickbed visits to old members.

Every person is the demo roster's (fictitious); visitors are named by their post only."""

import datetime as dt
import random

from django.utils import timezone

from dangjian.care import services as care
from dangjian.orgs.models import Organization
from dangjian.people.models import Employment, Person
from dangjian.surveys import services as surveys
from dangjian.surveys.queries import members_of
from dangjian.surveys.services import SurveyInput

from .hospitals_a import H01_ACCOUNT_BRANCH

HOSPITAL = "DEMO-H01"
VOTE = ("single", "您推荐的优秀共产党员人选（从候选人中选一位）")
NAMED = [
    ("single", "本季度支部主题党日安排在哪一天更合适", ["第一个周五下午", "第二个周五下午", "最后一个周五下午"], None),
    ("multiple", "您希望支部下季度开展哪些活动", ["社区义诊", "红色教育基地参观", "业务大讲堂", "读书分享会"], 2),
    ("text", "对支部工作的意见和建议", [], None),
]  # fmt: skip
STUDY = [
    ("multiple", "您希望学习哪些内容", ["党的创新理论", "党纪学习教育", "医德医风", "医疗卫生政策"], None),
    ("single", "您更方便的学习方式", ["线下党课", "线上微党课", "学习小组讨论"], None),
]  # fmt: skip
SUGGESTIONS = ["希望多安排业务和党建结合的活动", "主题党日尽量避开夜班后", "可以和社区支部共建"]
HARDSHIP = [
    ("illness", "本人患慢性病长期治疗，医疗费用负担较重"),
    ("living", "配偶失业，两名子女上学，家庭收入较低"),
    ("disaster", "家中房屋受暴雨损毁，正在修缮"),
    ("illness", "家属重病住院，需长期陪护"),
]


def load_demo_surveys_and_care(today: dt.date, seed: int) -> None:
    rng = random.Random(f"{seed}:surveys_care")
    hospital = Organization.objects.get(code=HOSPITAL)
    branch = Organization.objects.get(code=H01_ACCOUNT_BRANCH)
    member = Person.objects.get(user__username="demo_member")
    _surveys(hospital, branch, member, rng)
    _care(hospital, branch, member, today, rng)


def _survey(org, title, questions, *, opens, closes, anonymous, vote=False, public=False):
    survey = surveys.create_survey(
        org,
        SurveyInput(title=title, opens_at=opens, closes_at=closes, is_anonymous=anonymous,
                    is_vote=vote, results_public=public),
    )  # fmt: skip
    for kind, text, options, max_picks in questions:
        surveys.add_question(survey, kind=kind, text=text, options=options, max_picks=max_picks)
    return surveys.publish(survey, now=opens)


def _answer_some(survey, people, share, rng, at):
    for person in people:
        if rng.random() > share:
            continue
        given = {}
        for question in survey.questions.prefetch_related("options"):
            options = [o.pk for o in question.options.all()]
            if question.kind == "single":
                given[question.pk] = [rng.choice(options)]
            elif question.kind == "multiple":
                limit = question.max_picks or len(options)
                given[question.pk] = rng.sample(options, rng.randint(1, limit))
            else:
                given[question.pk] = rng.choice(SUGGESTIONS) if rng.random() < 0.3 else ""
        surveys.answer(survey, person, given, now=at)


def _surveys(hospital, branch, member, rng) -> None:
    now = timezone.now()
    day = dt.timedelta(days=1)
    members = list(audience_of(hospital))
    candidates = [p.name for p in rng.sample(members, 4)]
    vote = _survey(
        hospital, "年度优秀共产党员推荐投票", [(*VOTE, candidates, None)], opens=now - 9 * day,
        closes=now - 2 * day, anonymous=True, vote=True, public=True,
    )  # fmt: skip
    _answer_some(vote, members, 0.7, rng, now - 5 * day)
    named = _survey(branch, "支部活动安排意见征集", NAMED, opens=now - 2 * day,
                    closes=now + 7 * day, anonymous=False, public=True)  # fmt: skip
    others = [p for p in audience_of(branch) if p.pk != member.pk]
    _answer_some(named, others, 0.8, rng, now - day)
    study = _survey(hospital, "党员教育培训需求调查", STUDY, opens=now - 3 * day,
                    closes=now + 10 * day, anonymous=True)  # fmt: skip
    _answer_some(study, [p for p in members if p.pk != member.pk], 0.4, rng, now - day)


def audience_of(org):
    """The members now of `org`'s subtree, in a stable order."""
    return members_of(org).order_by("pk")


def _care(hospital, branch, member, today: dt.date, rng) -> None:
    people = list(audience_of(hospital).select_related("organization"))
    in_service = [p for p in people if p.employment == Employment.IN_SERVICE]
    retired = [p for p in people if p.employment == Employment.RETIRED] or people
    # One of the register in demo_secretary's branch (never demo_member), so that the
    # secretary's page has someone to help.
    own = next(p for p in in_service if p.organization_id == branch.pk and p.pk != member.pk)
    others = rng.sample([p for p in in_service if p.pk not in (own.pk, member.pk)], 3)
    for (hardship, situation), person in zip(HARDSHIP, [own, *others], strict=True):
        since = today - dt.timedelta(days=rng.randint(120, 500))
        case = care.open_case(person, care.CaseInput(hardship, situation, since))
        for months in (3, 1):
            on = max(since, today - dt.timedelta(days=30 * months))
            amount = rng.choice([800, 1000, 1500])
            _visit(person, on, "hardship", "cash", amount, "党委书记、支部书记")
        if case.hardship == "disaster":
            care.resolve_case(case, today - dt.timedelta(days=5))
    july_first = dt.date(today.year, 6, 28)
    if july_first > today:
        july_first = dt.date(today.year - 1, 6, 28)
    for person in rng.sample(retired, min(8, len(retired))):
        _visit(person, july_first, "july_first", "cash", 500, "党委副书记、离退休党支部书记")
    for person in rng.sample(retired, min(3, len(retired))):
        on = today - dt.timedelta(days=rng.randint(20, 90))
        _visit(person, on, "old_member", "visit", 0, "离退休党支部书记")
    for person in rng.sample(retired, min(2, len(retired))):
        on = today - dt.timedelta(days=rng.randint(5, 60))
        _visit(person, on, "hospitalized", "goods", 300, "支部书记、支部组织委员")


def _visit(person, on, reason, form, amount, visitors) -> None:
    data = care.VisitInput(visited_on=on, reason=reason, form=form, visitors=visitors,
                           amount=amount)  # fmt: skip
    care.record_visit(person, data)
