"""The secretary and hospital indicator sets (issue 20), built on the branch families:

- secretary: each branch secretary in office at the period's end — the branch's score,
  the mean of the reviewers' 述职评议 grades (a year), their own class hours and points;
- hospital (the guidance committee comparing hospitals): the branch families added up
  per hospital (a hospital committee's own records count for none of its branches).
One query per family, whatever the number of branches, secretaries or hospitals."""

from django.db.models import Q, Sum

from dangjian.honors.models import Honor, Level
from dangjian.meetings.models import Study
from dangjian.orgs.models import CommitteePost, CommitteeSeat, Organization, OrgKind
from dangjian.orgs.queries import alive_on
from dangjian.points.queries import totals as points_totals
from dangjian.points.services import rules_for

from . import rules
from .families import LEVEL_LABELS, Raw, gather, hospital_of
from .judgements import SecretaryReview
from .rules import Period
from .scores import ANNUAL_ONLY_TEXT, BranchScore, Indicator, _link, _pct, branch_scores, scored


def hospitals_under(org: Organization, day=None) -> list[Organization]:
    """The hospitals a sheet compares: the hospital committees under a guidance committee
    (alive on `day`, the period's end); none for an organisation at or below a hospital."""
    if org.kind != OrgKind.GUIDANCE_COMMITTEE or org.depth >= 2:
        return []
    found = Organization.objects.filter(path__startswith=org.path, depth=2, kind=OrgKind.COMMITTEE)
    if day is not None:
        found = found.filter(alive_on(day))
    return list(found.order_by("path"))


def hospital_scores(org: Organization, period: Period) -> list[BranchScore]:
    hospitals = hospitals_under(org, period.end)
    top = org if org.kind == OrgKind.GUIDANCE_COMMITTEE or not hospitals else hospitals[0]
    branches, raw = gather(top, period, with_points=False)
    sums = {h.pk: Raw(branches=0) for h in hospitals}
    by_path = {h.path: h.pk for h in hospitals}
    for branch in branches:
        pk = by_path.get(branch.path[: 2 * branch.steplen])
        if pk is not None:
            sums[pk].add(raw[branch.pk])
    for total in sums.values():  # the hospital's honours, its committee's own included
        total.honours = []
    honours = Honor.objects.filter(
        organization__path__startswith=top.path,
        awarded_on__range=(period.start, period.end),
        revoked_on__isnull=True,
    ).exclude(level=Level.HOSPITAL)  # fmt: skip  (a hospital's own awards raise no city score)
    honours = honours.values_list("organization__path", "level", "title", "person__name")
    for path, level, title, person in honours:
        pk = by_path.get(path[: 2 * top.steplen])
        if pk is not None:
            who = f"{person}：" if person else ""
            sums[pk].honours.append((level, f"{who}{title}（{LEVEL_LABELS.get(level, level)}）"))
    entries = [scored(h, sums[h.pk], rules.HOSPITAL, period) for h in hospitals]
    return rules.ranked(entries)


def _secretaries(org: Organization, period: Period) -> dict[int, CommitteeSeat]:
    """{branch pk: the secretary's seat} at the period's end. One query."""
    day = period.end
    seats = (
        CommitteeSeat.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day),
            organization__path__startswith=org.path, post=CommitteePost.SECRETARY,
            started_on__lte=day,
        )
        .select_related("person")
        .order_by("organization_id", "-started_on")
    )  # fmt: skip
    found: dict[int, CommitteeSeat] = {}
    for seat in seats:
        found.setdefault(seat.organization_id, seat)
    return found


def secretary_scores(org: Organization, period: Period) -> list[BranchScore]:
    branch_entries = branch_scores(org, period)
    seats = _secretaries(org, period)
    people = [seat.person_id for seat in seats.values()]
    annual = rules.is_annual(period)
    span = (period.start, period.end)
    hours = dict(
        Study.objects.filter(person_id__in=people, studied_on__range=span)
        .order_by()
        .values_list("person_id")
        .annotate(Sum("hours"))
    )
    reviews: dict[tuple, list] = {}
    points: dict = {}
    if annual:
        for branch_id, person_id, grade in SecretaryReview.objects.filter(
            organization__path__startswith=org.path, year=period.start.year, secretary_id__in=people
        ).values_list("organization_id", "secretary_id", "grade"):
            reviews.setdefault((branch_id, person_id), []).append(grade)
        if org.depth >= 2 and people:
            year = period.start.year
            # Against the best secretary of the whole hospital, whatever part is viewed.
            rivals = people
            if org.depth > 2:
                rivals = [s.person_id for s in _secretaries(hospital_of(org), period).values()]
            points = points_totals(rivals, year, rules_for(org, year), period.checked_on)
    best = max((float(p) for p in points.values()), default=None)
    target = rules.study_target(rules.months_of(period), 1)
    entries = []
    for branch in branch_entries:
        seat = seats.get(branch.organization.pk)
        if seat is None:
            continue
        person, b = seat.person, branch.organization
        studied = float(hours.get(person.pk) or 0)
        grades = reviews.get((b.pk, person.pk), [])
        result = rules.review_result(grades)
        labels = {k: v for k, v, _p in rules.REVIEW_GRADES}
        mine = float(points[person.pk]) if person.pk in points else None
        found = {
            "branch": (None if branch.score is None else branch.score / 100,
                       f"{b.name}得分 {branch.score if branch.score is not None else '—'}",
                       branch.reasons),
            "review": (None if result is None else result / 100,
                       f"{len(grades)} 人评议，平均 {result} 分" if grades else "尚无评议",
                       [labels[g] for g in grades]) if annual else (None, ANNUAL_ONLY_TEXT, []),
            "study": (min(1.0, studied / target), f"本人学习 {studied:g} 学时，应完成 {target:g} 学时（{_pct(studied, target)}）", []),
            "points": (rules.relative(mine, best),
                       f"本人积分 {'—' if mine is None else f'{mine:g}'} 分",
                       []) if annual else (None, ANNUAL_ONLY_TEXT, []),
        }  # fmt: skip
        indicators = [
            Indicator(key, label, weight, *found[key], link=_link(key, b))
            for key, label, weight in rules.INDICATOR_SETS[rules.SECRETARY]
        ]
        total = rules.score({i.key: i.value for i in indicators}, rules.SECRETARY)
        entries.append(BranchScore(b, indicators, total, rules.colour(total), person=person))
    return rules.ranked(entries)


def scores_for(org: Organization, level: str, period: Period) -> list[BranchScore]:
    return {
        rules.BRANCH: branch_scores,
        rules.SECRETARY: secretary_scores,
        rules.HOSPITAL: hospital_scores,
    }[level](org, period)
