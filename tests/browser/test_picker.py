"""Choosing several people on a phone: type part of a name, the list narrows, tap to
tick; no Ctrl-click (the task's owners, core.forms.Picker). Debian's Chromium."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.tasks.models import WorkTask
from tests.factories import TEST_PASSWORD, make_member, make_user
from tests.tasks.builders import a_list, a_task

from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_the_office_picks_a_tasks_owners_on_a_phone(phone, live_server, two_hospitals):
    _guidance, (ha, ha_b1, _), _b = two_hospitals
    for name in ("王一", "王二", "李三", "赵四"):
        make_member(ha_b1, name=name)
    make_user("office-a", Role.OFFICE, ha)
    _, area = a_list(ha, year=dt.date.today().year)
    task = a_task(area, ha_b1, due=dt.date.today() + dt.timedelta(days=30), title="完成支部换届")
    login(phone, live_server, "office-a", TEST_PASSWORD)
    phone.goto(f"{live_server.url}{reverse('tasks:edit', args=[task.pk])}")
    search = phone.locator("[data-dj-picker-search]")
    search.fill("王")
    expect(phone.get_by_label("李三")).to_be_hidden()
    phone.get_by_label("王二").tap()
    search.fill("赵")
    expect(phone.get_by_label("王二")).to_be_visible()  # ticked stays in sight
    phone.get_by_label("赵四").tap()
    phone.get_by_role("button", name="保存").tap()
    expect(phone.locator("h1")).to_contain_text("完成支部换届")
    owners = WorkTask.objects.get(pk=task.pk).owners.values_list("name", flat=True)
    assert sorted(owners) == ["王二", "赵四"]
