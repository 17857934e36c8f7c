"""Every XLSX the app writes starts here, so that no text ever becomes a formula.

A unit, a person or a venue may be named "=HYPERLINK(…)", "+84…", "-" or "@…". xlsxwriter
would turn a string starting with "=" into a live formula; Excel and LibreOffice would turn
any of "=", "+", "-", "@" into one when the cell is edited. The workbook made here writes
every string as text, gives those strings the "quote prefix" style (Excel's leading
apostrophe, kept on editing), and leaves out the characters no document can hold (control
characters, bidi overrides: `hienmau.text.printable`). Formulas are written on purpose
with `write_formula` only.
"""

import copy

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from hienmau.text import printable

FORMULA_STARTS = ("=", "+", "-", "@")


class TextWorksheet(Worksheet):
    """A worksheet whose strings stay text (see the module's docstring)."""

    book: "Workbook"

    def _write_string(self, row, col, string, cell_format=None):
        string = printable(string)
        if string.startswith(FORMULA_STARTS):
            cell_format = self.book.quoted(cell_format)
        return super()._write_string(row, col, string, cell_format)


class Workbook(xlsxwriter.Workbook):
    worksheet_class = TextWorksheet

    def __init__(self, out, options=None):
        # in_memory: nothing is written to a temporary directory on the server.
        super().__init__(out, {"in_memory": True, **(options or {}),
                               "strings_to_formulas": False, "strings_to_urls": False})
        self._quoted = {}

    def add_worksheet(self, name=None, worksheet_class=None):
        sheet = super().add_worksheet(printable(name) if name else name, worksheet_class)
        sheet.book = self
        return sheet

    def quoted(self, cell_format):
        """`cell_format` with the quote prefix, made once per format."""
        key = id(cell_format)
        if key not in self._quoted:
            if cell_format is None:
                made = self.add_format({"quote_prefix": True})
            else:
                made = copy.copy(cell_format)
                made.xf_index = made.dxf_index = made._format_key = None
                made.set_quote_prefix(True)
                self.formats.append(made)
            self._quoted[key] = (cell_format, made)  # the original kept alive: id stays
        return self._quoted[key][1]

