"""The development forms and the transfer letter as their readers see them: rendered by
LibreOffice (Debian's package) to PDF, each on one A4 page, every fact printed and no
placeholder left."""

import pytest

from dangjian.core.dates import add_years
from dangjian.development.paperwork import FORMS, chinese_date, render_step_form
from dangjian.development.steps import StepCode
from tests.office import is_landscape, pdf_page_size, pdf_pages, pdf_text, to_pdf

from .test_paperwork import DATES, admitted, step_of  # noqa: F401 (admitted: a fixture)

pytestmark = pytest.mark.django_db

A4 = (595, 842)  # points


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.key)
def test_each_form_prints_on_one_a4_page(admitted, form, tmp_path):  # noqa: F811
    person, _ = admitted
    pdf = to_pdf(render_step_form(step_of(person, form.step)).content, ".docx", tmp_path)
    width, height = pdf_page_size(pdf)
    assert (round(width), round(height)) == A4 and not is_landscape(pdf)
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    assert "李明华" in text and "{{" not in text and "}}" not in text
    assert person.id_number not in text


def test_the_approval_form_prints_the_probation_on_the_page(admitted, tmp_path):  # noqa: F811
    person, _ = admitted
    pdf = to_pdf(render_step_form(step_of(person, StepCode.APPROVAL)).content, ".docx", tmp_path)
    text = "".join(pdf_text(pdf).split())  # LibreOffice spaces Latin digits from Chinese
    assembly = DATES[StepCode.ASSEMBLY_VOTE]
    period = f"自{chinese_date(assembly)}起至{chinese_date(add_years(assembly, 1))}止。"
    assert "预备期一年，" + period in text
