"""Rendering exported files as their users see them: LibreOffice (Debian's package) turns
an .xlsx or .docx into PDF, poppler reads the PDF back (page count, text as laid out).

Each pytest worker converts with its own LibreOffice profile: two `soffice` processes
sharing one profile lock each other out (the second exits at once without a PDF). A
conversion costs a few seconds, so tests convert each file once per module."""

import io
import os
import re
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

CONVERT_TIMEOUT = 180  # seconds; a first start builds the profile


def _profile() -> str:
    return f"file:///tmp/lo-profile-{os.getpid()}"


def to_pdf(content: bytes, suffix: str = ".xlsx", directory: str | Path | None = None) -> Path:
    """The PDF LibreOffice renders from `content` (the bytes of an .xlsx or .docx file).
    Written into `directory` (a fresh temporary one if None); returns its path."""
    out = Path(directory or tempfile.mkdtemp(prefix="office-"))
    source = out / f"export{suffix}"
    source.write_bytes(content)
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={_profile()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=CONVERT_TIMEOUT,
    )
    pdf = source.with_suffix(".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice made no PDF: {result.stdout} {result.stderr}")
    return pdf


def pdf_pages(path: str | Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def pdf_page_size(path: str | Path) -> tuple[float, float]:
    """Width and height of the first page in points (A4: 595 x 842)."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    match = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.M)
    return float(match.group(1)), float(match.group(2))


def is_landscape(path: str | Path) -> bool:
    width, height = pdf_page_size(path)
    return width > height


def pdf_text(path: str | Path) -> str:
    """The PDF's text as laid out (`pdftotext -layout`), pages separated by form feeds."""
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


# ---- the shared layout of the Excel exports (core.sheets), read back with openpyxl ----
def assert_layout(content: bytes, *, header_rows: dict[str, int] | None = None):
    """Every sheet of an export in the shared layout: A4 fit to one page wide, header
    rows frozen, repeated on every page and bold, one Chinese font on every cell, the
    title and date in the page header and the page number in the footer. Returns the
    workbook. `header_rows`: {sheet: rows above the data} where not 1."""
    from openpyxl import load_workbook

    from dangjian.core.sheets import A4, FONT_NAME

    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        rows = (header_rows or {}).get(sheet.title, 1)
        assert sheet.freeze_panes == f"A{rows + 1}", sheet.title
        assert sheet.print_title_rows == f"$1:${rows}", sheet.title
        setup = sheet.page_setup
        assert int(setup.paperSize) == A4
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert sheet.oddHeader.center.text and "导出日期" in sheet.oddHeader.right.text
        assert all(cell.font.b for cell in sheet[rows] if cell.value is not None), sheet.title
        for row in sheet.iter_rows():
            for cell in row:  # every cell written (iter_rows fills gaps with bare cells)
                if cell.value is not None or cell.has_style:
                    assert cell.font.name == FONT_NAME, (sheet.title, cell.coordinate)
        for letter, dimension in sheet.column_dimensions.items():
            assert 4 <= dimension.width <= 40, (sheet.title, letter, dimension.width)
    return book


def column(sheet, header: str, header_row: int = 1) -> list:
    """The cells under a header (the data rows, blank cells included)."""
    headers = [cell.value for cell in sheet[header_row]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=header_row + 1) if len(row) > index]


def assert_rendered(pdf: str | Path, *, pages: int, landscape: bool | None = None) -> str:
    """The rendered export: `pages` pages, no column too narrow for its figures (LibreOffice
    prints ### in their place), landscape or not. Returns its text."""
    text = pdf_text(pdf)
    assert "###" not in text
    assert pdf_pages(pdf) == pages, (pdf_pages(pdf), text[:2000])
    if landscape is not None:
        assert is_landscape(pdf) == landscape
    return text


def pdf_page_texts(path: str | Path) -> list[str]:
    """The text of each page."""
    return pdf_text(path).split("\f")[:-1]


@contextmanager
def rolled_back(django_db_blocker):
    """Database writes for a module-scoped fixture (one conversion per module), undone
    when the block ends."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
