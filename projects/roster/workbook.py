"""Write roster workbooks: the blank template, the export of a community, and the list of
rows an upload was refused for. All use the import's columns, so each can be filled in or
corrected and uploaded again.

The export is streamed (``spreadsheets.xlsx_stream``): rows go straight from the database
cursor into the response, so a 50,000-household community neither sits in memory nor waits
to be written before the download starts.
"""

import io
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..spreadsheets import ID, NUMBER, TEXT, Column, CsvWriter, Sheet, set_cell, xlsx_stream
from .columns import COLUMNS, EXAMPLE_PREFIX, HELP_SHEET, KIND_LABELS, NO, ROSTER_SHEET, YES

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5F99")
EXAMPLE_FONT = Font(italic=True, color="808080")
PROBLEM_FONT = Font(color="B00020")
TEMPLATE_ROWS = 2000  # rows pre-formatted as text, with drop-down lists


def template_xlsx(*, compounds: list[str]) -> bytes:
    """The blank template: the header, one example row (skipped on import), drop-down lists
    for compound, kind and the yes/no columns, and a sheet explaining every column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = ROSTER_SHEET
    _header(sheet, [column.header for column in COLUMNS])
    example_compound = EXAMPLE_PREFIX + (compounds[0] if compounds else "佳和园")
    for index, column in enumerate(COLUMNS, start=1):
        value = example_compound if column.key == "compound" else column.example
        cell = set_cell(sheet.cell(row=2, column=index), value, _kind(column))
        cell.font = EXAMPLE_FONT
        sheet.column_dimensions[get_column_letter(index)].width = column.width + 4
        if column.text:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"

    helper = workbook.create_sheet(HELP_SHEET)
    _header(helper, [_("Column"), _("Required"), _("How to fill it in")])
    for column in COLUMNS:
        helper.append([column.header, _("yes") if column.required else _("no"), str(column.help)])
    helper.append([])
    helper.append(
        [
            _("Rows whose compound starts with “%(prefix)s” are examples and are not imported.")
            % {"prefix": EXAMPLE_PREFIX}
        ]
    )
    helper.append(
        [
            _(
                "Households are matched by compound, building, unit and room: importing a file again updates them in place."
            )
        ]
    )
    # The compounds, beside the notes: the source of the compound column's drop-down list.
    helper.cell(row=1, column=5, value=_("Compounds of this community")).font = HEADER_FONT
    helper.cell(row=1, column=5).fill = HEADER_FILL
    for offset, name in enumerate(compounds, start=2):
        set_cell(helper.cell(row=offset, column=5), name)
    for letter, width in (("A", 16), ("B", 10), ("C", 90), ("D", 4), ("E", 24)):
        helper.column_dimensions[letter].width = width

    last = TEMPLATE_ROWS + 1
    lists = {
        "kind": f'"{KIND_LABELS["residential"]},{KIND_LABELS["shop"]}"',
        "elderly_alone": f'"{YES},{NO}"',
        "mobility_impaired": f'"{YES},{NO}"',
        "bedridden": f'"{YES},{NO}"',
    }
    if compounds:
        lists["compound"] = f"'{HELP_SHEET}'!$E$2:$E${len(compounds) + 1}"
    for index, column in enumerate(COLUMNS, start=1):
        if column.key in lists:
            # Warn, don't block: the import checks the values anyway and explains them.
            validation = DataValidation(type="list", formula1=lists[column.key], allow_blank=True, errorStyle="warning")
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_csv(*, compounds: list[str]) -> bytes:
    """The same template as CSV, UTF-8 with a byte-order mark so Excel opens it correctly."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow([column.header for column in COLUMNS])
    example_compound = EXAMPLE_PREFIX + (compounds[0] if compounds else "佳和园")
    writer.writerow([example_compound if c.key == "compound" else c.example for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def roster_xlsx(rows: Iterable[list], *, extra_headers: Iterable[str] = ()) -> Iterator[bytes]:
    """Rows (lists in column order, extra columns after) as a streamed .xlsx. Text columns
    (rooms, phones, names) are text cells formatted "@"; an owner name starting with "="
    stays a name. Extra columns (the error report's reasons) are red and wrapped."""
    columns = [Column(column.header, _kind(column), column.width) for column in COLUMNS]
    columns += [Column(header, TEXT, 60, font=PROBLEM_FONT, wrap=True) for header in extra_headers]
    padded = (list(values) + [""] * (len(columns) - len(values)) for values in rows)
    return xlsx_stream([Sheet(ROSTER_SHEET, columns, padded, header_font=HEADER_FONT, header_fill=HEADER_FILL)])


def _kind(column) -> str:
    """Roster text columns are identifiers or names: text cells that keep leading zeros."""
    return ID if column.text else NUMBER


def _header(sheet, texts: list[str]) -> None:
    sheet.append(texts)
    for index in range(1, len(texts) + 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "A2"
