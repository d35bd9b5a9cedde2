#!/usr/bin/env python3
"""Writes the .xlsx progress fixtures with XlsxWriter (pip install XlsxWriter; 3.3.1 used).

    python3 Tests/LadderKitTests/Fixtures/progress/make_xlsx_fixtures.py

The Moodle and TalentLMS workbooks hold the same rows as their CSV/text fixtures beside them,
so a test can import both and compare the stores. README.md in this folder says where each
shape comes from. Output is deterministic (fixed document dates; XlsxWriter stores every zip
entry with the same timestamp), so re-running it changes no bytes.
"""
import csv
import datetime
import os
import re

import xlsxwriter

HERE = os.path.dirname(os.path.abspath(__file__))
CREATED = datetime.datetime(2026, 3, 20, 0, 0, 0)


def workbook(relative, **options):
    wb = xlsxwriter.Workbook(os.path.join(HERE, relative), options)
    wb.set_properties({"created": CREATED, "author": "Ladder fixtures"})
    return wb


def moodle_basic_report():
    """Moodle's basic report, "Download in Excel format" (detailed report on).

    mod/scorm/report/basic/classes/report.php: a MoodleExcelWorkbook (lib/excellib.class.php,
    PhpSpreadsheet's Xlsx writer) with one sheet named get_string('report', 'scorm'); the
    headers and every cell go through MoodleExcelWorksheet::write(), which writes a token
    matching its number pattern with write_number() (format General) and anything else with
    write_string() (format "@", a shared string); the two dates are
    userdate(..., get_string('strftimedatetime', 'langconfig')), "%d %B %Y, %I:%M %p" without
    leading zeros: text, not date cells. Same rows as moodle/basic-report.txt.
    """
    number = re.compile(r"^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$")
    with open(os.path.join(HERE, "moodle/basic-report.txt"), encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    wb = workbook("moodle/basic-report.xlsx")
    ws = wb.add_worksheet("Report")
    text = wb.add_format({"num_format": "@"})
    header = wb.add_format({"num_format": "@", "bold": True, "align": "center"})
    general = wb.add_format({"num_format": 0})
    for r, row in enumerate(rows):
        for c, token in enumerate(row):
            if r > 0 and c in (3, 4) and token != "-":
                token = token.split(", ", 1)[1]  # strftimedatetime has no weekday
            if token == "":
                continue
            if number.match(token):
                ws.write_number(r, c, float(token), general)
            else:
                ws.write_string(r, c, token, header if r == 0 else text)
    wb.close()


def talentlms_unit_matrix():
    """Unit matrix, shared strings (the usual way spreadsheet writers store text)."""
    with open(os.path.join(HERE, "talentlms/unit-matrix.csv"), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = workbook("talentlms/unit-matrix.xlsx")
    ws = wb.add_worksheet("Unit matrix")
    bold = wb.add_format({"bold": True})
    for r, row in enumerate(rows):
        for c, token in enumerate(row):
            if token:
                ws.write_string(r, c, token, bold if r == 0 else None)
    wb.close()


def talentlms_training_matrix():
    """Training matrix with ✔ cells and gaps, text as inline strings (XlsxWriter's
    constant_memory mode writes t="inlineStr"): the other way a writer may store text."""
    with open(os.path.join(HERE, "talentlms/training-matrix.csv"), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = workbook("talentlms/training-matrix.xlsx", constant_memory=True)
    ws = wb.add_worksheet("Training matrix")
    for r, row in enumerate(rows):
        for c, token in enumerate(row):
            if token:
                ws.write_string(r, c, token)
    wb.close()


def talentlms_course_progress():
    """Unit rows as a spreadsheet holds them: ids and timestamps as numbers, completed_on a
    date cell (dd/mm/yyyy, hh:mm:ss), score a percent-formatted number, empty cells left out."""
    with open(os.path.join(HERE, "talentlms/course-progress.csv"), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = workbook("talentlms/course-progress.xlsx")
    ws = wb.add_worksheet("Course progress")
    when = wb.add_format({"num_format": "dd/mm/yyyy, hh:mm:ss"})
    percent = wb.add_format({"num_format": "0.00%"})
    head = rows[0]
    for r, row in enumerate(rows):
        for c, token in enumerate(row):
            if token == "":
                continue
            col = head[c]
            if r == 0:
                ws.write_string(r, c, token)
            elif col in ("id", "completed_on_timestamp"):
                ws.write_number(r, c, int(token))
            elif col == "completed_on":
                ws.write_datetime(r, c, datetime.datetime.strptime(token, "%d/%m/%Y, %H:%M:%S"), when)
            elif col == "score":
                ws.write_number(r, c, float(token.rstrip("%")) / 100, percent)
            else:
                ws.write_string(r, c, token)
    wb.close()


def cells():
    """Every kind of cell, for XLSXReaderTests (expected values are in the test)."""
    wb = workbook("xlsx/cells.xlsx")
    ws = wb.add_worksheet("Cells")
    wb.add_worksheet("Second sheet").write_string(0, 0, "never read")
    bold = wb.add_format({"bold": True})
    ws.write_string(0, 0, "plain")
    ws.write_rich_string(0, 1, bold, "bold", " and plain")
    ws.write_string(0, 2, " leading space")
    ws.write_string(0, 3, "line\r\nbreak")
    ws.write_string(0, 4, "keep _x0041_ literal")
    ws.write_string(0, 5, "✔ Ünïcödé")
    ws.write_number(1, 0, 42)
    ws.write_number(1, 1, -3.5)
    ws.write_number(1, 2, 0.1 + 0.2)
    ws.write_number(1, 3, 0.00001)
    ws.write_number(1, 4, 1773411060)
    # Row 3 is left empty.
    march13 = datetime.datetime(2026, 3, 13)
    at = datetime.datetime(2026, 3, 13, 14, 11, 0)
    ws.write_datetime(3, 0, march13, wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_datetime(3, 1, march13, wb.add_format({"num_format": 14}))
    ws.write_datetime(3, 2, at, wb.add_format({"num_format": 22}))
    ws.write_datetime(3, 3, at, wb.add_format({"num_format": "dd/mm/yyyy, hh:mm:ss"}))
    ws.write_number(3, 4, (12 * 60 + 30) / 86400, wb.add_format({"num_format": "[h]:mm:ss"}))
    ws.write_number(3, 5, 0.92, wb.add_format({"num_format": "0.00%"}))
    ws.write_number(3, 6, 45000)
    ws.write_number(3, 7, 45000, wb.add_format({"num_format": '"Day "0'}))
    ws.write_string(4, 0, "left")
    ws.write_string(4, 2, "right")
    ws.write_boolean(5, 0, True)
    ws.write_boolean(5, 1, False)
    ws.write_formula(5, 2, '=A1&"!"', None, "plain!")
    ws.write_formula(5, 3, "=1+1", None, 2)
    ws.write_formula(5, 4, "=1/0", None, "#DIV/0!")
    ws.write_blank(6, 0, None, bold)  # a styled cell with no value: the row is skipped
    ws.write_string(7, 27, "AB8")
    wb.close()


def cells_1904():
    """The 1904 date system and inline strings, rich text included."""
    wb = workbook("xlsx/cells-1904.xlsx", constant_memory=True, date_1904=True)
    ws = wb.add_worksheet("Sheet1")
    bold = wb.add_format({"bold": True})
    ws.write_string(0, 0, "inline ✔")
    ws.write_rich_string(0, 1, bold, "bold", " tail")
    ws.write_datetime(1, 0, datetime.datetime(2026, 3, 13), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.write_datetime(1, 1, datetime.datetime(1904, 1, 1), wb.add_format({"num_format": 22}))
    wb.close()


if __name__ == "__main__":
    os.makedirs(os.path.join(HERE, "xlsx"), exist_ok=True)
    moodle_basic_report()
    talentlms_unit_matrix()
    talentlms_training_matrix()
    talentlms_course_progress()
    cells()
    cells_1904()
