"""Questions imported from a workbook: every row added, or none with each row's reason;
only the hospital's office may import, another hospital's office gets 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dangjian.learning.importer import import_questions
from dangjian.learning.models import Question
from dangjian.learning.services import LearningError
from tests.learning.builders import a_course

pytestmark = pytest.mark.django_db
HEADER = ["题型", "题目", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "课程"]
GOOD = [
    ["单选题", "党的最高理想是？", "实现共产主义", "发展经济", None, None, "A", "党章总纲", ""],
    ["多选", "三会一课包括？", "支部党员大会", "职工大会", "党课", None, "A,C", "", "学习党章"],
    ["判断题", "党员每年学习不少于32学时。", None, None, None, None, "正确", "", ""],
]


def _workbook(rows, title="题库导入") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append([title])  # a caption above the header, as offices write
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("题库.xlsx", buffer.getvalue())


def test_every_row_is_added(world):
    course = a_course(world.ha, title="学习党章")
    assert import_questions(_workbook(GOOD), world.ha) == 3
    multiple = Question.objects.get(kind="multiple")
    assert multiple.answer == [0, 2] and multiple.course == course
    assert Question.objects.get(kind="true_false").answer == [0]


def test_one_bad_row_refuses_the_file_with_each_reason(world):
    bad = [*GOOD, ["问答题", "？", None, None, None, None, "A", "", ""],
           ["单选", "题", "甲", "乙", None, None, "C", "", ""]]  # fmt: skip
    with pytest.raises(LearningError) as refused:
        import_questions(_workbook(bad), world.ha)
    message = str(refused.value)
    assert "第 4 行" in message and "本院没有名为“学习党章”的课程" in message
    assert "第 6 行" in message and "第 7 行" in message
    assert not Question.objects.exists()


def test_the_page_imports_for_the_office_only(client, world):
    a_course(world.ha, title="学习党章")
    url = reverse("learning:bank_import") + f"?org={world.ha.code}"
    client.force_login(world.user("office", "B"))
    assert client.post(url, {"file": _workbook(GOOD)}).status_code == 404
    client.force_login(world.user("office"))
    page = client.post(url, {"file": _workbook(GOOD)}, follow=True).content.decode()
    assert "已导入 3 道题目" in page and Question.objects.count() == 3
    page = client.post(url, {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}, follow=True)
    assert "未导入任何题目" in page.content.decode() and Question.objects.count() == 3
