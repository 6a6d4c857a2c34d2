"""Pure rules of honours: which categories are a person's and which an organisation's,
and the problems of an entry's fields. No ORM."""

import datetime as dt

from .models import Category, Level

PERSON_CATEGORIES = frozenset({Category.OUTSTANDING_MEMBER, Category.OUTSTANDING_WORKER})
ORG_CATEGORIES = frozenset(
    {Category.ADVANCED_ORG, Category.FOUR_STRONG, Category.BENCHMARK_BRANCH,
     Category.MODEL_HOSPITAL, Category.BEST_PARTY_DAY}
)  # fmt: skip


def title_for(category: str, title: str) -> str:
    """The title as typed, else the category's name (其他 needs a title)."""
    title = title.strip()
    if title or category == Category.OTHER or category not in Category.values:
        return title
    return str(Category(category).label)


def field_problems(
    *, category: str, title: str, level: str, awarded_on: dt.date | None, awarded_by: str,
    for_person: bool, today: dt.date,
) -> list[str]:  # fmt: skip
    problems = []
    if category not in Category.values:
        problems.append(f"未知的荣誉类别：{category}")
    elif for_person and category in ORG_CATEGORIES:
        problems.append(f"“{Category(category).label}”是授予党组织的荣誉，请选择党组织")
    elif not for_person and category in PERSON_CATEGORIES:
        problems.append(f"“{Category(category).label}”是授予个人的荣誉，请选择党员")
    if not title_for(category, title):
        problems.append("请填写荣誉称号")
    if level not in Level.values:
        problems.append(f"未知的荣誉级别：{level}")
    if awarded_on is None:
        problems.append("请填写表彰日期")
    elif awarded_on > today:
        problems.append("表彰日期不能晚于今天")
    if not awarded_by.strip():
        problems.append("请填写授予单位")
    return problems


def for_person(category: str) -> bool | None:
    """True for a person's category, False for an organisation's, None for 其他."""
    if category in PERSON_CATEGORIES:
        return True
    if category in ORG_CATEGORIES:
        return False
    return None


# Days before a round's deadline that its people are reminded: units that have not
# recommended, panel members who have not scored everything.
REMIND_DAYS = 3


def recused(own_paths: list[str], organiser_path: str, candidate_path: str) -> bool:
    """回避: a panel member does not score a candidate of an organisation they work for
    below the organiser (their hospital in a city round, their branch — its Party groups
    included — in a hospital round). Working for the organiser itself, or above it, is
    no conflict: that is whose round it is."""
    return any(
        path != organiser_path and path.startswith(organiser_path)
        and candidate_path.startswith(path)
        for path in own_paths
    )  # fmt: skip
