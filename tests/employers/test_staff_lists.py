"""Reading and checking uploaded staff lists: size, type, encodings, delimiters, headers and
per-row errors in plain Swedish; no personnummer gets through."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from employers.staff_lists import (
    MAX_BYTES,
    FileRejected,
    file_check,
    rows_validate,
    table_read,
)

HEADER = "E-post;Förnamn;Efternamn;Enhet;Sista anställningsdag\r\n"


def _read(data: bytes, kind: str = "csv") -> tuple[list[str], list[list[str]]]:
    return table_read(kind=kind, data=data)


def _validate(text: str, **kwargs: object):
    header, rows = _read(text.encode("utf-8"))
    return rows_validate(header=header, rows=rows, today=dt.date(2026, 2, 1), **kwargs)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("lista.csv", b"", "tom"),
        ("lista.csv", b"x" * (MAX_BYTES + 1), "för stor"),
        ("lista.xls", b"\xd0\xcf\x11\xe0", ".xls"),
        ("lista.pdf", b"%PDF-1.4", "CSV-fil"),
        ("lista.xlsx", b"E-post;Namn\n", "inte en Excel-fil"),
        ("lista.csv", b"PK\x03\x04rest", "innehåller inte text"),
        ("lista.csv", b"E-post\x00\x00\x01", "innehåller inte text"),
    ],
)
def test_bad_uploads_are_refused_with_the_reason(name: str, data: bytes, message: str) -> None:
    with pytest.raises(FileRejected, match=message):
        file_check(name=name, data=data)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("latin-1", b""), ("cp1252", b"")],
)
def test_csv_in_the_encodings_excel_writes(encoding: str, bom: bytes) -> None:
    data = bom + (HEADER + "åsa.öberg@example.se;Åsa;Öberg;Lön;2026-05-31\r\n").encode(encoding)
    header, rows = _read(data)
    assert header[1] == "Förnamn"
    assert rows == [["åsa.öberg@example.se", "Åsa", "Öberg", "Lön", "2026-05-31"]]


def test_comma_separated_with_quotes() -> None:
    header, rows = _read(b'email,name,unit\n"a@example.se","Berg, Anna",IT\n')
    assert header == ["email", "name", "unit"]
    assert rows == [["a@example.se", "Berg, Anna", "IT"]]


def test_xlsx_first_sheet_with_date_cells() -> None:
    data = xlsx_bytes(
        [
            ["E-post", "Förnamn", "Efternamn", "Sista anställningsdag"],
            ["a@example.se", "Anna", "Berg", dt.datetime(2026, 4, 30)],
            [None, None, None, None],
        ]
    )
    info = file_check(name="Lista.XLSX", data=data)
    assert info.kind == "xlsx"
    header, rows = _read(data, "xlsx")
    result = rows_validate(header=header, rows=rows, today=dt.date(2026, 2, 1))
    assert result.errors == []
    assert result.rows[0].last_working_day == "2026-04-30"


def test_a_personnummer_column_is_refused_and_nothing_is_read() -> None:
    result = _validate("E-post;Förnamn;Efternamn;Personnummer\na@example.se;A;B;19800101-1234\n")
    assert result.rows == []
    assert "personnummer" in result.errors[0].message
    assert result.errors[0].row == 1


def test_missing_columns_are_named() -> None:
    result = _validate("Förnamn;Efternamn\nA;B\n")
    assert any("e-postadress" in e.message for e in result.errors)
    result = _validate("E-post;Avdelning\na@example.se;IT\n")
    assert any("namn" in e.message.lower() for e in result.errors)


def test_every_bad_row_is_reported_with_its_line_number() -> None:
    text = (
        HEADER
        + "anna@example.se;Anna;Berg;IT;2026-05-31\n"  # line 2: fine
        + "inte-en-adress;Bo;Ek;;\n"  # 3: bad e-mail
        + "ANNA@example.se;Anna;Berg;IT;\n"  # 4: duplicate of line 2 (case-insensitive)
        + "cia@example.se;;Ek;;\n"  # 5: no first name
        + "dan@example.se;Dan;Ek;;31 maj\n"  # 6: not a date
        + "eva@example.se;Eva;Ek;;2025-12-01\n"  # 7: before the notice
        + "fia@example.se;Fia;Ek;800101-1234;\n"  # 8: a personnummer in a cell
        + "gun@example.se;Gun;Ek;;2031-01-01\n"  # 9: implausibly far away
        + "old@example.se;Olle;Ek;;\n"  # 10: already enrolled
    )
    result = _validate(text, existing_emails=["OLD@example.se"], notice_date=dt.date(2026, 1, 15))
    by_row = {e.row: e.message for e in result.errors}
    assert [r.row for r in result.rows] == [2]
    assert "inte en giltig e-postadress" in by_row[3]
    assert by_row[4] == "Samma e-postadress som på rad 2."
    assert by_row[5] == "Förnamn saknas."
    assert "är inget datum" in by_row[6]
    assert "före varselns datum" in by_row[7]
    assert "personnummer" in by_row[8]
    assert "tre år" in by_row[9]
    assert "redan anmäld" in by_row[10]
    assert result.total == 9


def test_a_single_name_column_is_split_and_unknown_columns_are_only_warned_about() -> None:
    result = _validate("Namn;E-post;Telefon\nAnna Maria Berg;a@example.se;070-1\n")
    assert result.errors == []
    assert (result.rows[0].first_name, result.rows[0].last_name) == ("Anna Maria", "Berg")
    assert result.warnings == ["Kolumnen ”Telefon” används inte och läses inte in."]


def test_too_many_rows_is_one_clear_error() -> None:
    text = "E-post;Namn\n" + "".join(f"p{i}@example.se;A B\n" for i in range(5001))
    result = _validate(text)
    assert result.rows == []
    assert "Högst 5000 rader" in result.errors[0].message


def test_progress_is_reported_while_validating() -> None:
    seen: list[int] = []
    text = "E-post;Namn\n" + "".join(f"p{i}@example.se;A B\n" for i in range(600))
    header, rows = _read(text.encode())
    rows_validate(header=header, rows=rows, progress=seen.append, progress_every=250)
    assert seen == [250, 500, 600]
