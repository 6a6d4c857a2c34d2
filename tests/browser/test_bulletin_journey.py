"""JOURNEYS.md, office 8: the Party office issues the quarter's 党政管理通报 — reads it on
the page (the praised branch, the laggard with its reasons, the overdue task), downloads
the .docx, edits the wording, and publishes the edited copy to the branches' inboxes.
Every step is checked (tests/browser/checks.py). Runs in Debian's Chromium."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from dangjian.accounts.models import Role
from dangjian.assessment.models import PublishedBulletin
from tests.assessment.scenario import known_gaps
from tests.factories import TEST_PASSWORD, make_user

from .checks import assert_page_sound
from .conftest import login

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_office_issues_an_edited_bulletin(desktop, live_server, world, tmp_path):
    known_gaps(world)
    make_user("office-bulletin", Role.OFFICE, world.ha)
    make_user("sec-bulletin", Role.SECRETARY, world.ha_b1)
    login(desktop, live_server, "office-bulletin", TEST_PASSWORD)
    desktop.goto(f"{live_server.url}/assessment/bulletin/?org={world.ha.code}&period=2024-Q1")
    body = desktop.locator("body")
    expect(body).to_contain_text("HA心内科党支部")  # praised
    expect(body).to_contain_text("完成支部品牌创建方案")  # the overdue task
    assert_page_sound(desktop, "通报")

    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="下载 Word 文档").click()
    path = tmp_path / "bulletin.docx"
    download.value.save_as(path)
    document = Document(path)
    document.add_paragraph("党委办公室补充：请各支部对照整改。")
    edited = tmp_path / "edited.docx"
    document.save(edited)

    desktop.get_by_label("修改后的通报（.docx，可选）").set_input_files(str(edited))
    desktop.get_by_role("button", name="发布").click()
    expect(desktop.locator("body")).to_contain_text("已发布的通报（1）")
    assert_page_sound(desktop, "已发布")
    published = PublishedBulletin.objects.get()
    attachment = published.announcement.attachments.get()
    text = "\n".join(p.text for p in Document(io.BytesIO(attachment.file.read())).paragraphs)
    assert "党委办公室补充：请各支部对照整改。" in text
    assert published.announcement.receipts.filter(user__username="sec-bulletin").exists()
