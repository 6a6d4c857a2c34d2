"""Small openpyxl helpers the Excel exports share, and the one layout they all use.

Every text cell is written as text: openpyxl would store a string starting with "=" as a
formula, so a name or title planted as `=HYPERLINK(...)` would run when the office opens
the file (formula injection). A text cell's type is forced to string (Excel and
LibreOffice show it as typed and never evaluate it), which also keeps an export
re-importable unchanged.

The layout (`Table`): columns sized to their content (a CJK character is about two
widths), header rows bold and frozen, money `#,##0.00`, ratios `0.0%`, dates as dates,
one Chinese font on every cell, and A4 page setup — landscape when the table is wide,
fit to one page wide, header rows repeated on every page, the title, organisation and
export date in the page header and the page number in the footer. Rows are kept in a
temporary file until `finish()`: a write-only sheet writes its column widths before its
first row, so the widths of a streamed export are known only once every row was seen."""

import datetime as dt
import io
import math
import pickle
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

FONT_NAME = "宋体"  # what Chinese offices' spreadsheets use; LibreOffice substitutes Noto CJK
FONT_SIZE = 11
TEXT, DATE, MONTH, MONEY, PERCENT, NUMBER = "text", "date", "month", "money", "percent", "number"
FORMATS = {DATE: "yyyy-mm-dd", MONTH: "yyyy-mm", MONEY: "#,##0.00", PERCENT: "0.0%"}
MIN_WIDTH, MAX_WIDTH = 6, 40  # in character widths; longer text wraps inside the cap
PADDING = 2
# An A4 portrait page holds about 90 character widths between the default margins; a
# wider table is printed landscape (and, either way, scaled to one page wide).
PORTRAIT_WIDTH = 90
A4 = 9  # the paperSize code of A4
LINE_HEIGHT, TITLE_HEIGHT = 15, 22  # points: a line of 11 pt CJK text, the 14 pt caption
RIGHT = Alignment(horizontal="right")


def display_width(text: str) -> float:
    """Character widths a text takes: two for a CJK (wide or full-width) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def shown(value, kind: str) -> str:
    """The text a cell shows, for measuring its width."""
    if value is None:
        return ""
    if kind == MONEY and isinstance(value, int | float | Decimal):
        return f"{value:,.2f}"
    if kind == PERCENT and isinstance(value, int | float | Decimal):
        return f"{value:.1%}"
    if isinstance(value, dt.date):
        return "0000-00" if kind == MONTH else "0000-00-00"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: float | None = None  # a fixed width; None: fitted to the content


@dataclass(frozen=True)
class Heading:
    """What the page header says: the title, the organisation exported and the day."""

    title: str
    organization: str
    exported_on: dt.date


class Table:
    """One sheet's rows, laid out at `finish()` (see the module's docstring).

    `title_rows`: lines above the column headers (a report's caption), repeated on every
    printed page with the headers. `row(values, bold=, kinds=)`: `kinds` overrides the
    column's kind for some cells of this row ({index: kind})."""

    def __init__(
        self,
        sheet,
        columns: Sequence[Column],
        heading: Heading,
        *,
        title_rows: Iterable[str] = (),
    ):
        self.sheet, self.columns, self.heading = sheet, list(columns), heading
        self.title_rows = list(title_rows)
        # A header wraps onto two lines rather than widen a column of short values.
        self.widths = [display_width(c.header) * 1.1 / 2 + 2 for c in self.columns]
        self._rows = tempfile.SpooledTemporaryFile(max_size=8 << 20)
        self.count = 0
        self._written = 0

    def row(self, values: Sequence, *, bold: bool = False, kinds: dict | None = None) -> None:
        values = list(values)
        kinds = kinds or {}
        for index, value in enumerate(values[: len(self.columns)]):
            kind = kinds.get(index, self.columns[index].kind)
            width = display_width(shown(value, kind)) * (1.1 if bold else 1)
            self.widths[index] = max(self.widths[index], width)
        pickle.dump((values, bold, kinds), self._rows)
        self.count += 1

    def blank(self) -> None:
        self.row([])

    def finish(self) -> None:
        sheet = self.sheet
        _styled = _Styler(sheet)
        widths = self._fitted_widths()
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header_rows = len(self.title_rows) + 1
        sheet.freeze_panes = f"A{header_rows + 1}"
        _page_setup(sheet, self.heading, landscape=sum(widths) > PORTRAIT_WIDTH)
        sheet.print_title_rows = f"1:{header_rows}"
        title_font = Font(name=FONT_NAME, size=14, bold=True)
        for text in self.title_rows:
            sheet.row_dimensions[self._next_row()].height = TITLE_HEIGHT
            sheet.append([_styled(text, TEXT, title_font)])
        header_font = font(bold=True)
        centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
        headers = [(i, c.header, TEXT, True) for i, c in enumerate(self.columns)]
        _fit_height(sheet, self._next_row(), headers, widths)
        sheet.append([_styled(c.header, TEXT, header_font, centred) for c in self.columns])
        plain, bold = font(), font(bold=True)
        wrapped = Alignment(wrap_text=True, vertical="top")
        wraps = {
            i for i, c in enumerate(self.columns) if c.width is None and self.widths[i] > MAX_WIDTH
        }
        self._rows.seek(0)
        for _ in range(self.count):
            values, is_bold, kinds = pickle.load(self._rows)
            kinds = [kinds.get(i, self._kind(i)) for i in range(len(values))]
            long = [(i, values[i], kinds[i], is_bold) for i in wraps if i < len(values)]
            _fit_height(sheet, self._next_row(), long, widths)
            sheet.append(
                [
                    _styled(value, kinds[i], bold if is_bold else plain,
                            wrapped if i in wraps else None)
                    for i, value in enumerate(values)
                ]
            )  # fmt: skip
        self._rows.close()

    def _kind(self, index: int) -> str:
        return self.columns[index].kind if index < len(self.columns) else TEXT

    def _next_row(self) -> int:
        """The number of the row about to be appended (the sheet starts empty)."""
        self._written += 1
        return self._written

    def _fitted_widths(self) -> list[float]:
        return [
            column.width
            if column.width is not None
            else round(min(MAX_WIDTH, max(MIN_WIDTH, width + PADDING)), 1)
            for column, width in zip(self.columns, self.widths, strict=True)
        ]


def _fit_height(sheet, row: int, cells: list[tuple], widths: list[float]) -> None:
    """A row whose wrapping cells ((column, value, kind, bold)) need more than one line is
    made tall enough for them (LibreOffice keeps a row's stored height on opening)."""
    lines = 1
    for index, value, kind, is_bold in cells:
        room = max(1.0, widths[index] - PADDING)
        need = display_width(shown(value, kind)) * (1.1 if is_bold else 1)
        lines = max(lines, math.ceil(need / room))
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines + 3


def font(*, bold: bool = False) -> Font:
    return Font(name=FONT_NAME, size=FONT_SIZE, bold=bold)


class _Styler:
    """Cells of one sheet with their font, number format and alignment. A cell's style is
    copied from the first cell styled alike: openpyxl looks a style up in the workbook's
    tables on every assignment, which doubled the time of a city's roster export."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.styles: dict[tuple, object] = {}

    def __call__(self, value, kind: str, cell_font: Font, alignment: Alignment | None = None):
        cell = as_text(WriteOnlyCell(self.sheet, value=value))
        number_format = None
        if kind in FORMATS and value is not None and not isinstance(value, str):
            number_format = FORMATS[kind]
        elif isinstance(value, dt.date):
            number_format = FORMATS[DATE]
        elif isinstance(value, str) and kind in (MONEY, PERCENT, NUMBER):
            alignment = RIGHT  # "—" (nothing to measure) where a number would stand
        key = (id(cell_font), number_format, id(alignment))
        style = self.styles.get(key)
        if style is not None:
            cell._style = copy(style)
            return cell
        cell.font = cell_font
        if number_format is not None:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        self.styles[key] = copy(cell._style)
        return cell


def _page_setup(sheet, heading: Heading, *, landscape: bool) -> None:
    setup = sheet.page_setup
    setup.paperSize = A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.5
    margins.top = margins.bottom = 0.8
    margins.header = margins.footer = 0.3
    header, footer = sheet.oddHeader, sheet.oddFooter
    for part, text in (
        (header.left, heading.organization),
        (header.center, heading.title),
        (header.right, f"导出日期：{heading.exported_on:%Y-%m-%d}"),
        (footer.center, "第 &P 页 共 &N 页"),
    ):
        part.text = _escaped(text) if part is not footer.center else text
        part.font = f"{FONT_NAME},Regular"
        part.size = 9


def _escaped(text: str) -> str:
    """Header text with "&" doubled (a single one starts a field code such as &P)."""
    return text.replace("&", "&&")


def as_text(cell):
    """A cell holding a string, typed as text whatever it starts with."""
    if isinstance(cell.value, str):
        cell.data_type = TYPE_STRING
    return cell


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
