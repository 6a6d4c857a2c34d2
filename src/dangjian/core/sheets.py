"""Small openpyxl helpers the Excel exports share."""

import datetime as dt
import io

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


def saved(book) -> io.BytesIO:
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer
