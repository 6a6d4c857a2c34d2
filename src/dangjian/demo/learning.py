"""学习教育 for the demo: the class hours that the demo's held 党课 and 主题党日 credit to
those present (the hospitals' default setting), three courses of the first demo hospital
with a video link and a PDF or Word material, a ten-question bank, an exam on the first
course that a few members have already taken, and one elective completed by some.

Everything goes through the services (the meetings are bulk-created by demo.meetings,
so their credit is given afterwards in bulk). The demo member has completed nothing yet:
taking the exam on the phone shows the hours growing. Every text is fictitious.
"""

import datetime as dt
import io
import random

from django.core.files.base import ContentFile
from docx import Document

from dangjian.core.documents import BODY_FONT, set_chinese
from dangjian.learning import services
from dangjian.learning.rules import DrawMode, QuestionKind
from dangjian.learning.services import QuestionInput
from dangjian.meetings.study_credit import credit_held_meetings
from dangjian.orgs.models import Organization
from dangjian.people.models import MEMBER_STATUSES, Person

from .hospitals_a import H01_ACCOUNT_BRANCH
from .meetings import MEETING_HOSPITALS

LEARNING_HOSPITAL = "DEMO-H01"
# 共产党员网, the Party's public education site: a link a hospital's course would give.
VIDEO_URL = "https://www.12371.cn/"
S, M, TF = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE
BANK = [
    (S, "党的最高理想和最终目标是？", ["实现共产主义", "全面建成小康社会", "实现现代化"], [0],
     "党章总纲：党的最高理想和最终目标是实现共产主义。"),
    (S, "党员每年集中学习培训时间一般不少于多少学时？", ["16 学时", "24 学时", "32 学时"], [2],
     "《中国共产党党员教育管理工作条例》第二十条。"),
    (S, "党支部党员大会一般每季度召开几次？", ["1 次", "2 次", "3 次"], [0], ""),
    (S, "预备党员的预备期为多久？", ["半年", "一年", "两年"], [1], "党章第七条。"),
    (M, "“三会一课”包括哪些？", ["支部党员大会", "支部委员会会议", "党小组会", "职工代表大会"],
     [0, 1, 2], "第四项是党课，职工代表大会不属于“三会一课”。"),
    (M, "党员的义务包括哪些？", ["认真学习", "按期交纳党费", "遵守党的纪律", "享受特殊待遇"],
     [0, 1, 2], ""),
    (M, "医院党委发挥把方向、管大局的作用，主要体现在？", ["作决策", "促改革", "保落实", "替代行政管理"],
     [0, 1, 2], ""),
    (TF, "支部建在科室上是公立医院党支部设置的通行做法。", [], [0], ""),
    (TF, "党员可以不参加党的组织生活。", [], [1], "党章第八条：每个党员都必须编入党的一个支部。"),
    (TF, "“三重一大”事项须经集体讨论决定。", [], [0], ""),
]  # fmt: skip
COURSES = [
    # (title, hours, required, material, exam)
    ("学习贯彻党的二十大精神专题课", "4", True, "pdf", True),
    ("《中国共产党章程》逐条学", "3", True, "docx", False),
]
BRANCH_COURSE = ("医德医风与廉洁从业警示教育", "2", False)


def load_demo_learning(today: dt.date, seed: int) -> dict:
    """Credit the held meetings and publish the courses, bank and exam; the counts."""
    credited = 0
    for code in MEETING_HOSPITALS:
        credited += credit_held_meetings(Organization.objects.get(code=code))
    hospital = Organization.objects.get(code=LEARNING_HOSPITAL)
    rng = random.Random(f"{seed}:learning")
    courses = [_course(hospital, today, *spec) for spec in COURSES]
    branch = Organization.objects.get(code=H01_ACCOUNT_BRANCH)
    title, hours, required = BRANCH_COURSE
    elective = services.publish_course(
        branch, title=title, hours=hours, required=required, year=today.year,
        description="结合科室典型案例开展警示教育，观看视频后完成学习。",
    )  # fmt: skip
    services.add_video(elective, title="警示教育片（示例链接）", url=VIDEO_URL)
    questions = [
        services.save_question(
            hospital, QuestionInput(kind, text, options, answer, explanation, courses[0])
        )
        for kind, text, options, answer, explanation in BANK
    ]
    exam = services.set_exam(
        courses[0], mode=DrawMode.FIXED, questions=questions, pass_mark=60, max_attempts=3
    )
    taken = _others_take_the_exam(exam, questions, branch, today, rng)
    for person in _members(branch)[1:6]:  # the demo member is not among them
        services.complete_course(elective, person)
    return {"credited": credited, "courses": len(courses) + 1, "attempts": taken}


def _course(hospital, today: dt.date, title: str, hours: str, required: bool, kind, _exam):
    course = services.publish_course(
        hospital, title=title, hours=hours, required=required, year=today.year,
        description="医院党委组织的年度专题学习。先观看视频、阅读资料，再完成学习或参加考试。",
    )  # fmt: skip
    services.add_video(course, title=f"{title}（视频）", url=VIDEO_URL)
    document = _pdf(title) if kind == "pdf" else _docx(title)
    services.add_documents(course, [document])
    return course


def _members(branch) -> list[Person]:
    """Current members of the branch except the demo member's account, in roll order."""
    from dangjian.people.queries import current_status

    return list(
        Person.objects.filter(organization=branch)
        .annotate(status_now=current_status())
        .filter(status_now__in=MEMBER_STATUSES, user__isnull=True)
        .order_by("pk")
    )


def _others_take_the_exam(exam, questions, branch, today, rng) -> int:
    """A few members of the demo branch took the exam: most pass, some after a second try."""
    taken = 0
    for person in _members(branch)[:8]:
        for _try in range(rng.choice((1, 1, 2))):
            attempt = services.start_attempt(exam, person)
            answers = {
                str(q.pk): [str(i) for i in (q.answer if rng.random() < 0.75 else [0])]
                for q in questions
            }
            taken += 1
            if services.submit_attempt(attempt, answers).passed:
                break
    return taken


def _docx(title: str) -> ContentFile:
    document = Document()
    set_chinese(document, BODY_FONT)
    document.add_heading(title, level=1)
    for line in (
        "一、学习目的：掌握党章的基本内容，增强党员意识。",
        "二、学习方式：个人自学与支部集中学习相结合。",
        "三、学习要求：逐条学习，联系本职工作谈体会。（示例材料）",
    ):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return ContentFile(buffer.getvalue(), name=f"{title}.docx")


def _pdf(title: str) -> ContentFile:
    """A one-page PDF (Latin text: a PDF's standard fonts hold no Chinese); enough for a
    material a member opens from the course page."""
    text = "Demo study material - dangjian learning"
    stream = f"BT /F1 18 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )  # fmt: skip
    return ContentFile(bytes(out), name=f"{title}.pdf")
