"""The one CSV writer: no cell a spreadsheet would run as a formula, and a reader that undoes it."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from phare.lib.csvtext import csv_writer, records, safe_cell, unguard

ATTACKS = ['=HYPERLINK("http://x")', "@SUM(1)", "+1+1", "-2+3", "\tcmd", "\rcmd", "-3"]


@pytest.mark.parametrize("text", ATTACKS)
def test_it_guards_text_that_starts_like_a_formula(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3, -2.5, Decimal("-1.25"), 0, None, "", "a=b", "x-1",
                                   "Hello", "'quoted"])
def test_it_leaves_numbers_and_plain_text_alone(value):
    assert safe_cell(value) is value


@pytest.mark.parametrize("text", [*ATTACKS, "plain", "'", "'plain", "'=1+1", "''=1", "", "-"])
def test_unguard_gives_back_exactly_what_was_written(text):
    assert unguard(safe_cell(text)) == text


def test_the_writer_guards_every_cell_of_every_row():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["name", "value"])
    writer.writerows([['=HYPERLINK("http://x")', -3], ["@SUM(1)", "-3"]])
    assert out.getvalue() == ('name,value\r\n"\'=HYPERLINK(""http://x"")",-3\r\n'
                              "'@SUM(1),'-3\r\n")
    assert list(csv.reader(io.StringIO(out.getvalue())))[1][0] == "'=HYPERLINK(\"http://x\")"


def test_records_reads_back_what_the_writer_wrote():
    out = io.StringIO()
    csv_writer(out).writerows([["a", "b"], ["=1+1", "'=x"], ["@SUM(1)", "-3"]])
    assert [fields for _line, fields in records(out.getvalue())] == [
        ["a", "b"], ["=1+1", "'=x"], ["@SUM(1)", "-3"]]
