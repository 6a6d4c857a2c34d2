"""Small openpyxl helpers the Excel exports share.

Every text cell is written as text: openpyxl would store a string starting with "=" as a
formula, so a name or title planted as `=HYPERLINK(...)` would run when the office opens
the file (formula injection). A text cell's type is forced to string (Excel and
LibreOffice show it as typed and never evaluate it), which also keeps an export
re-importable unchanged."""

import datetime as dt
import io

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font


def finish(*sheets) -> None:
    """Bold header row; dates shown as yyyy-mm-dd."""
    for sheet in sheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"


def as_text(cell):
    """A cell holding a string, typed as text whatever it starts with."""
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING
    return cell


def text_cell(sheet, value):
    """A write-only cell for `value`, text typed as text (write-only workbooks)."""
    return as_text(WriteOnlyCell(sheet, value=value))


def neutralise(book) -> None:
    """Every text cell of a (normal) workbook typed as text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)


def saved(book) -> io.BytesIO:
    neutralise(book)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
