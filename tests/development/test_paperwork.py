"""Each step's standard form as a pre-filled .docx: the values from the record, hospital
templates, placeholders split by Word, the scoped and audited download, the command."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from dangjian.core.dates import add_years
from dangjian.core.models import AuditEntry
from dangjian.development import history, paperwork, paperwork_defaults
from dangjian.development.models import DevelopmentStep
from dangjian.development.paperwork import FIELDS, FORMS, chinese_date, fill, render_step_form
from dangjian.development.services import record_step
from dangjian.development.steps import StepCode
from dangjian.orgs.models import Organization
from tests.factories import make_user

from .builders import advance, fill_branch, input_for, new_applicant, sponsors, step_dates

pytestmark = pytest.mark.django_db

S = StepCode
APPLIED = dt.date(2021, 3, 1)
DATES = step_dates(APPLIED)


def day(code: str) -> str:
    return chinese_date(DATES[code])


def text_of(content: bytes) -> str:
    """Everything a reader sees in the .docx: paragraphs, then each table cell."""
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def admitted(two_hospitals):
    """A person of hospital A's first branch through the higher committee's approval."""
    _, (_, ha_b1, _), _ = two_hospitals
    helpers = sponsors(ha_b1)
    fill_branch(ha_b1, 10)  # the assembly: 10 entitled, 8 present, 7 for, 1 against
    person = new_applicant(ha_b1, name="李明华")
    advance(person, S.APPROVAL, APPLIED, helpers=helpers)
    return person, helpers


def step_of(person, code: str) -> DevelopmentStep:
    return DevelopmentStep.objects.get(person=person, code=code)


def expected(form_key: str, helpers) -> list[str]:
    names = [h.name for h in helpers]
    return {
        "application_receipt": [day(S.APPLICATION), "示例经办人", "HA心内科"],
        "talk_record": [day(S.APPLICATION), day(S.APPLICATION_TALK), "示例经办人", "HA心内科"],
        "activist_registration": [
            day(S.APPLICATION),
            day(S.APPLICATION_TALK),
            day(S.ACTIVIST_CONFIRMED),
            day(S.ACTIVIST_FILED),
            "填报单位：HA医院\n",
            "HA医院党委",
            *names,
        ],
        "candidate_registration": [
            day(S.ACTIVIST_CONFIRMED),
            day(S.ACTIVIST_REVIEW),
            day(S.CANDIDATE_CONFIRMED),
            day(S.CANDIDATE_FILED),
            "3天",
            "24学时",
            "填报单位：HA医院\n",
            *names,
        ],
        "political_review": [day(S.CANDIDATE_CONFIRMED), day(S.POLITICAL_REVIEW), *names],
        "assembly_resolution": [
            day(S.ASSEMBLY_VOTE),
            "应到会有表决权的党员10名",
            "实到会有表决权的党员8名",
            "赞成7票",
            "反对1票",
            "弃权0票",
            *names,
        ],
        "approval": [
            day(S.ASSEMBLY_VOTE),
            day(S.COMMITTEE_TALK),
            day(S.APPROVAL),
            chinese_date(add_years(DATES[S.ASSEMBLY_VOTE], 1)),
            "应到会有表决权的党员10名，实到8名；赞成7票，反对1票，弃权0票",
            "HA医院党委",
        ],
    }[form_key]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_each_form_is_filled_from_the_record(admitted, form):
    person, helpers = admitted
    rendered = render_step_form(step_of(person, form.step))
    text = text_of(rendered.content)
    assert "李明华" in text and "HA心内科党支部" in text
    for snippet in expected(form.key, helpers):
        assert snippet in text, (form.key, snippet)
    assert "{{" not in text and "}}" not in text
    assert person.id_number not in text  # never printed whole
    assert rendered.unknown == [] and rendered.warnings == []
    assert rendered.filename == f"{form.title}-李明华.docx"
    assert rendered.template == "默认模板"


def test_registration_forms_print_the_id_number_masked_only(admitted):
    person, _ = admitted
    text = text_of(render_step_form(step_of(person, S.ACTIVIST_CONFIRMED)).content)
    assert person.id_number_masked in text and "*" in person.id_number_masked


def test_a_form_printed_at_its_step_leaves_later_facts_blank(two_hospitals):
    _, (_, ha_b1, _), _ = two_hospitals
    person = new_applicant(ha_b1, name="赵晓燕")
    advance(person, S.ACTIVIST_CONFIRMED, APPLIED)
    rendered = render_step_form(step_of(person, S.ACTIVIST_CONFIRMED))
    text = text_of(rendered.content)
    assert day(S.ACTIVIST_CONFIRMED) in text and "测试人员" not in text  # no cultivators yet
    assert rendered.unknown == []


def test_a_registration_form_says_filed_only_once_the_filing_is_recorded(two_hospitals):
    _, (_, ha_b1, _), _ = two_hospitals
    person = new_applicant(ha_b1, name="赵晓燕")
    advance(person, S.ACTIVIST_CONFIRMED, APPLIED)
    confirmed = step_of(person, S.ACTIVIST_CONFIRMED)
    assert "备案。" not in text_of(render_step_form(confirmed).content)
    filed = DATES[S.ACTIVIST_FILED]
    record_step(person, input_for(S.ACTIVIST_FILED, filed), today=filed)
    text = text_of(render_step_form(confirmed).content)
    assert "已备案。" in text and day(S.ACTIVIST_FILED) in text


def test_an_imported_members_approval_reads_from_the_rosters_admission_day(two_hospitals):
    """The roster gives 入党日期 (the assembly's day), not the committee's approval: the
    probation runs from it, and no approval day is invented."""
    _, (_, ha_b1, _), _ = two_hospitals
    person = new_applicant(ha_b1, name="钱立新")
    admitted_on = dt.date(2019, 5, 1)
    periods = [
        ("applicant", dt.date(2017, 3, 1)),
        ("activist", dt.date(2017, 9, 1)),
        ("candidate", dt.date(2018, 9, 1)),
        ("probationary", admitted_on),
    ]
    history.replace_imported([(person.pk, ha_b1.pk, periods)])
    text = text_of(render_step_form(step_of(person, S.APPROVAL)).content)
    assert "预备期一年，自2019年5月1日起至2020年5月1日止。" in text
    assert "经HA医院党委审议" in text  # the approval's own day is not on record
    assert "自起" not in text and "至止" not in text


def test_a_form_without_the_assemblys_day_leaves_the_probation_out():
    values = paperwork._probation_values({})
    assert values == {"probation_ends": "", "probation_period": ""}


def document_language(content: bytes) -> tuple[str, str]:
    document = Document(io.BytesIO(content))
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    return lang.get(qn("w:eastAsia")), document.core_properties.language


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_every_form_is_written_in_chinese(admitted, form):
    person, _ = admitted
    rendered = render_step_form(step_of(person, form.step))
    assert document_language(rendered.content) == ("zh-CN", "zh-CN")


def test_a_hospital_template_is_marked_chinese_and_keeps_its_fonts(admitted, settings, tmp_path):
    person, _ = admitted
    template = Document()
    template.add_paragraph("{{ person_name }}")
    template.save(tmp_path / "approval.docx")
    settings.DANGJIAN_FORM_TEMPLATES_DIR = str(tmp_path)
    content = render_step_form(step_of(person, S.APPROVAL)).content
    assert document_language(content) == ("zh-CN", "zh-CN")
    fonts = Document(io.BytesIO(content)).styles.element.find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsiaTheme")) == "minorEastAsia"  # python-docx's, untouched


@pytest.mark.parametrize(
    "committee, hospital",
    [
        ("示例金银潭医院党委", "示例金银潭医院"),
        ("中共示例市第一人民医院委员会", "示例市第一人民医院"),
        ("示例医院", "示例医院"),
        ("党委", "党委"),
    ],
)
def test_the_hospital_is_named_after_its_committee(committee, hospital):
    assert paperwork.hospital_name(Organization(name=committee)) == hospital


def test_a_step_without_a_form_is_refused(admitted):
    person, _ = admitted
    assert paperwork.form_for_step(S.ACTIVIST_FILED) is None
    with pytest.raises(LookupError):
        render_step_form(step_of(person, S.ACTIVIST_FILED))


def test_a_note_over_several_lines_keeps_its_lines(admitted):
    person, _ = admitted
    talk = step_of(person, S.APPLICATION_TALK)
    talk.note = "入党动机端正。\n对党的认识较深刻。"
    talk.save(update_fields=["note"])
    text = text_of(render_step_form(talk).content)
    assert "入党动机端正。\n对党的认识较深刻。" in text


def test_the_queries_do_not_grow_with_the_history(two_hospitals, admitted):
    _, (_, ha_b1, _), _ = two_hospitals
    newcomer = new_applicant(ha_b1)
    advance(newcomer, S.APPLICATION, APPLIED)
    counts = []
    for person in (newcomer, admitted[0]):
        step = DevelopmentStep.objects.select_related(
            "person__department", "organization__department"
        ).get(person=person, code=S.APPLICATION)
        with CaptureQueriesContext(connection) as queries:
            render_step_form(step)
        counts.append(len(queries))
    assert counts[0] == counts[1]


# ---- templates -------------------------------------------------------------------------


def _split_template(path, *runs_per_paragraph):
    """A .docx whose paragraphs are made of the given runs: (text, bold) pairs."""
    document = Document()
    for runs in runs_per_paragraph:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for text, bold in runs:
            paragraph.add_run(text).bold = bold
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "姓名"
    cell = table.cell(0, 1).paragraphs[0]
    for text in ("{", "{ person", "_name }", "}"):
        cell.add_run(text)
    document.save(path)
    return path


def test_a_placeholder_split_across_runs_is_replaced_with_the_runs_formatting(tmp_path):
    path = _split_template(
        tmp_path / "split.docx",
        [("姓名：", False), ("{{ per", True), ("son_", False), ("name }}", False), ("。", False)],
        [("｛｛ gender ｝｝与{{ age }}{{ gender", False), (" }}", True)],
    )
    document = Document(str(path))
    unknown = fill(document, {"person_name": "王芳", "gender": "女", "age": "30"})
    first, second = document.paragraphs[0], document.paragraphs[1]
    assert unknown == []
    assert first.text == "姓名：王芳。" and second.text == "女与30女"
    value_run = next(run for run in first.runs if "王芳" in run.text)
    assert value_run.bold  # the run where the placeholder began
    assert first.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert document.tables[0].cell(0, 1).text == "王芳"


def test_an_unknown_placeholder_prints_empty_and_is_reported(tmp_path):
    document = Document(
        str(_split_template(tmp_path / "t.docx", [("{{ 姓名 }}{{ nmae }}", False)]))
    )
    assert fill(document, {"person_name": "王芳"}) == ["姓名", "nmae"]
    assert document.paragraphs[0].text == ""


def _hospital_template(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    document = Document()
    document.add_paragraph(text)
    document.save(path)


def test_a_hospital_template_replaces_the_default(admitted, settings, tmp_path):
    person, _ = admitted
    settings.DANGJIAN_FORM_TEMPLATES_DIR = str(tmp_path)
    _hospital_template(
        tmp_path / "talk_record.docx",
        "本院谈话记录：{{ person_name }}，{{ talk_date }}{{ 谈话人 }}",
    )
    rendered = render_step_form(step_of(person, S.APPLICATION_TALK))
    assert text_of(rendered.content).startswith(f"本院谈话记录：李明华，{day(S.APPLICATION_TALK)}")
    assert rendered.template == str(tmp_path / "talk_record.docx")
    assert rendered.unknown == ["谈话人"]
    assert rendered.warnings == ["模板中的占位符无法识别，已留空：{{ 谈话人 }}"]
    # Forms the hospital did not replace still come from the defaults.
    assert render_step_form(step_of(person, S.APPLICATION)).template == "默认模板"


def test_a_hospital_folder_wins_for_that_hospital_only(admitted, two_hospitals, settings, tmp_path):
    person, _ = admitted
    _, _, (_, hb_b1, _) = two_hospitals
    other = new_applicant(hb_b1)
    advance(other, S.APPLICATION, APPLIED)
    settings.DANGJIAN_FORM_TEMPLATES_DIR = str(tmp_path)
    _hospital_template(tmp_path / "HA" / "application_receipt.docx", "甲医院回执 {{ person_name }}")
    ours = render_step_form(step_of(person, S.APPLICATION))
    theirs = render_step_form(step_of(other, S.APPLICATION))
    assert text_of(ours.content).startswith("甲医院回执 李明华")
    assert theirs.template == "默认模板" and "甲医院" not in text_of(theirs.content)


def test_a_broken_hospital_template_falls_back_and_says_so(admitted, settings, tmp_path):
    person, _ = admitted
    settings.DANGJIAN_FORM_TEMPLATES_DIR = str(tmp_path)
    (tmp_path / "approval.docx").write_bytes(b"not a word file")
    rendered = render_step_form(step_of(person, S.APPROVAL))
    assert rendered.template == "默认模板" and "李明华" in text_of(rendered.content)
    assert len(rendered.warnings) == 1 and "无法读取" in rendered.warnings[0]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_packaged_templates_are_the_generators_output(form):
    packaged = (paperwork.DEFAULTS_DIR / form.file_name).read_bytes()
    built = paperwork_defaults.build(form.key)
    assert text_of(packaged) == text_of(built), (
        "run python -m dangjian.development.paperwork_defaults"
    )
    names = paperwork.placeholders_in(Document(io.BytesIO(packaged)))
    assert "person_name" in names and set(names) <= set(FIELDS)


# ---- download --------------------------------------------------------------------------


@pytest.fixture
def users(two_hospitals):
    _, (ha, _, ha_b2), (hb, _, _) = two_hospitals
    return {
        "office_a": make_user("office_a", "office", ha),
        "secretary_a2": make_user("secretary_a2", "secretary", ha_b2),
        "office_b": make_user("office_b", "office", hb),
    }


def form_url(step) -> str:
    return reverse("development:step_form", args=[step.pk])


def test_the_download_is_an_audited_attachment_named_in_chinese(client, admitted, users):
    person, _ = admitted
    step = step_of(person, S.APPLICATION_TALK)
    client.force_login(users["office_a"])
    response = client.get(form_url(step))
    assert response.status_code == 200
    assert response["Content-Type"] == paperwork.DOCX_CONTENT_TYPE
    assert quote("谈话记录-李明华.docx") in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "李明华" in text_of(b"".join(response.streaming_content))
    entry = AuditEntry.objects.get(action="development.form_export")
    assert (entry.object_id, entry.actor_name) == (str(person.pk), "office_a")
    assert entry.org_path == person.organization.path
    assert entry.summary["form"] == "talk_record"


@pytest.mark.parametrize("who", ["office_b", "secretary_a2"])
def test_the_download_is_404_outside_the_users_scope(client, admitted, users, who):
    person, _ = admitted
    client.force_login(users[who])
    assert client.get(form_url(step_of(person, S.APPLICATION_TALK))).status_code == 404
    assert not AuditEntry.objects.filter(action="development.form_export").exists()


def test_a_step_without_a_form_downloads_nothing(client, admitted, users):
    person, _ = admitted
    client.force_login(users["office_a"])
    assert client.get(form_url(step_of(person, S.ACTIVIST_FILED))).status_code == 404


def test_the_download_needs_a_login(client, admitted):
    person, _ = admitted
    response = client.get(form_url(step_of(person, S.APPLICATION)))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_download_reports_unknown_placeholders(client, admitted, users, settings, tmp_path):
    person, _ = admitted
    settings.DANGJIAN_FORM_TEMPLATES_DIR = str(tmp_path)
    _hospital_template(tmp_path / "approval.docx", "{{ person_name }}{{ 审批人 }}")
    client.force_login(users["office_a"])
    response = client.get(form_url(step_of(person, S.APPROVAL)))
    assert response.status_code == 200
    assert response["X-Dangjian-Unknown-Placeholders"] == quote("审批人")
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["模板中的占位符无法识别，已留空：{{ 审批人 }}"]
    entry = AuditEntry.objects.get(action="development.form_export")
    assert entry.summary["unknown_placeholders"] == ["审批人"]


# ---- command ---------------------------------------------------------------------------


def test_the_command_writes_the_defaults_and_never_overwrites_silently(tmp_path):
    target = tmp_path / "forms"
    out = io.StringIO()
    call_command("development-forms", "--write-defaults", str(target), stdout=out)
    written = sorted(p.name for p in target.iterdir())
    assert written == sorted(f.file_name for f in FORMS)
    assert "已写出 7 个默认模板" in out.getvalue()
    for form in FORMS:
        packaged = (paperwork.DEFAULTS_DIR / form.file_name).read_bytes()
        assert (target / form.file_name).read_bytes() == packaged

    (target / "talk_record.docx").write_bytes(b"edited by the hospital")
    with pytest.raises(CommandError, match="模板已存在，未写入任何文件"):
        call_command("development-forms", "--write-defaults", str(target))
    assert (target / "talk_record.docx").read_bytes() == b"edited by the hospital"
    call_command("development-forms", "--write-defaults", str(target), "--force", stdout=out)
    assert (target / "talk_record.docx").read_bytes() != b"edited by the hospital"


def test_the_command_lists_the_forms_and_their_placeholders(two_hospitals, settings, tmp_path):
    out = io.StringIO()
    call_command("development-forms", "--list", stdout=out)
    listing = out.getvalue()
    for form in FORMS:
        assert f"{form.title}（{form.file_name}" in listing
    assert "{{ votes_yes }}" in listing and "{{ person_name }}" in listing
    assert "无法识别" not in listing

    settings.DANGJIAN_FORM_TEMPLATES_DIR = str(tmp_path)
    _hospital_template(tmp_path / "HA" / "talk_record.docx", "{{ person_name }}{{ 谈话地点 }}")
    out = io.StringIO()
    call_command("development-forms", "--list", "--org", "HA-B1", stdout=out)
    listing = out.getvalue()
    assert str(tmp_path / "HA" / "talk_record.docx") in listing
    assert "无法识别（将留空）：{{ 谈话地点 }}" in listing
    with pytest.raises(CommandError, match="组织编码不存在：NOPE"):
        call_command("development-forms", "--list", "--org", "NOPE")
