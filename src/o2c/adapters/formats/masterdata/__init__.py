"""Master-data files (CSV, XLSX) a company loads to start on o2c: layouts, reading, row checks."""

from o2c.adapters.formats.masterdata.fields import RowProblem
from o2c.adapters.formats.masterdata.layouts import (
    KINDS,
    LAYOUTS,
    layout_markdown,
    template_csv,
    template_xlsx,
)
from o2c.adapters.formats.masterdata.rows import Context, ParsedFile, ParsedRow, parse_file
from o2c.adapters.formats.masterdata.sheets import Sheet, SheetError, read_sheet

__all__ = [
    "KINDS",
    "LAYOUTS",
    "Context",
    "ParsedFile",
    "ParsedRow",
    "RowProblem",
    "Sheet",
    "SheetError",
    "layout_markdown",
    "parse_file",
    "read_sheet",
    "template_csv",
    "template_xlsx",
]
