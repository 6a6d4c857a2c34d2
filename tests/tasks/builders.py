"""A target list at hospital A of the `world` fixture, with tasks to grow."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.tasks import services
from dangjian.tasks.services import TaskInput


def evidence(name="成果照片.jpg", content=b"\xff\xd8\xff demo"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def a_list(org, year=2025):
    target = services.create_target_list(org, year=year)
    return target, services.add_area(target, "组织建设")


def a_task(area, org, *, due=dt.date(2025, 6, 30), owners=(), title="完成支部换届", **extra):
    return services.add_task(
        area,
        TaskInput(
            title=title, responsible_org=org, starts_on=dt.date(area.target_list.year, 1, 1),
            due_on=due, owners=list(owners), **extra,
        ),
    )  # fmt: skip
