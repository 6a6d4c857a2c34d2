"""Questions from a workbook the office fills in (.xlsx, .xls, .ods or .csv, read with
core.tabular): one row per question, the columns 题型, 题目, 选项A … 选项H, 答案, 解析 and,
optionally, 课程 (a course's title, for its random exam). All rows are checked first;
one bad row refuses the whole file with every reason (row by row) and nothing is saved.
Hidden rows are imported like the others: nothing typed is dropped."""

from django.db import transaction

from dangjian.core.tabular import Unreadable, find_header, open_book
from dangjian.orgs.models import Organization

from . import rules
from .models import Course
from .rules import OPTION_LETTERS, QuestionKind
from .services import LearningError, QuestionInput, save_question

OPTION_COLUMNS = [f"选项{letter}" for letter in OPTION_LETTERS]
COLUMNS = ["题型", "题目", *OPTION_COLUMNS, "答案", "解析", "课程"]
KINDS = {
    "单选": QuestionKind.SINGLE, "单选题": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE, "多选题": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE, "判断题": QuestionKind.TRUE_FALSE,
}  # fmt: skip
TRUE_FALSE_ANSWERS = {"正确": "A", "对": "A", "√": "A", "错误": "B", "错": "B", "×": "B"}
MAX_ERRORS = 50


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _score(cells: list) -> int:
    return sum(_text(c).replace(" ", "") in COLUMNS for c in cells)


def _answer(kind: str, raw: str) -> list[int] | None:
    raw = TRUE_FALSE_ANSWERS.get(raw, raw) if kind == QuestionKind.TRUE_FALSE else raw
    letters = raw.upper().replace(" ", "").replace(",", "").replace("，", "").replace("、", "")
    if not letters or any(ch not in OPTION_LETTERS for ch in letters):
        return None
    return [OPTION_LETTERS.index(ch) for ch in letters]


def read_questions(upload, hospital: Organization) -> tuple[list[QuestionInput], list[str]]:
    """The questions of the workbook and the reasons rows are refused."""
    try:
        book = open_book(upload, name=getattr(upload, "name", ""))
    except Unreadable as unreadable:
        return [], [str(unreadable)]
    sheets = [s for s in book.sheets if not s.hidden] or book.sheets
    if not sheets:
        return [], ["工作簿中没有工作表"]
    header = find_header(sheets[0].rows(), _score)
    names = [_text(c).replace(" ", "") for c in header.cells]
    if "题型" not in names or "题目" not in names or "答案" not in names:
        return [], ["第一张工作表须有“题型”“题目”“答案”列（及“选项A”“选项B”…）"]
    at = {name: i for i, name in enumerate(names) if name in COLUMNS}
    courses = {
        c.title: c for c in Course.objects.filter(organization__path__startswith=hospital.path)
    }
    found, errors = [], []
    for number, cells in header.rows:
        value = {name: _text(cells[i]) if i < len(cells) else "" for name, i in at.items()}
        if not any(value.values()):
            continue
        question, problems = _row(value, courses)
        errors += [f"第 {number} 行：{p}" for p in problems]
        if question is not None:
            found.append(question)
    if not found and not errors:
        errors.append("工作表中没有题目")
    return found, errors


def _row(value: dict, courses: dict) -> tuple[QuestionInput | None, list[str]]:
    kind = KINDS.get(value.get("题型", "").replace(" ", ""))
    if kind is None:
        return None, [f"题型“{value.get('题型', '')}”须为单选题、多选题或判断题"]
    options = rules.question_options(kind, [value.get(c, "") for c in OPTION_COLUMNS])
    answer = _answer(kind, value.get("答案", ""))
    if answer is None:
        return None, [f"答案“{value.get('答案', '')}”须为选项字母，如 A 或 ACD"]
    course = None
    if title := value.get("课程", ""):
        course = courses.get(title)
        if course is None:
            return None, [f"本院没有名为“{title}”的课程"]
    problems = rules.question_problems(kind, value.get("题目", ""), options, answer)
    data = QuestionInput(
        kind, value.get("题目", ""), options, answer, value.get("解析", ""), course
    )
    return (None if problems else data), problems


@transaction.atomic
def import_questions(upload, hospital: Organization, *, by=None) -> int:
    """Add every question of the workbook to the hospital's bank, or none."""
    questions, errors = read_questions(upload, hospital)
    if errors:
        shown = errors[:MAX_ERRORS]
        more = f"；另有 {len(errors) - MAX_ERRORS} 处错误" if len(errors) > MAX_ERRORS else ""
        raise LearningError("；".join(shown) + more)
    for question in questions:
        save_question(hospital, question, by=by)
    return len(questions)
