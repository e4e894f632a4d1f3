import csv
import io

import pytest

from elearn.review.exports import iter_csv, safe_cell, to_csv


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-2", "'-2"), ("@cmd", "'@cmd"),
     ("\tx", "'\tx"), ("plain", "plain"), (None, ""), (0.5, "0.5"),
     ("<script>alert(1)</script>", "<script>alert(1)</script>")],
)  # fmt: skip
def test_formula_cells_are_neutralised(value, cell):
    assert safe_cell(value) == cell


def test_csv_round_trips_commas_quotes_and_newlines():
    text = to_csv(["a", "b"], [['say "hi", then', "two\nlines"]])
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ['say "hi", then', "two\nlines"]]


def test_iter_csv_streams_in_chunks_and_neutralises_every_chunk():

    chunks = list(iter_csv(["a"], ([f"={n}"] for n in range(1200))))
    assert len(chunks) == 3  # 500 + 500 + 200 rows (the header rides with the first)
    rows = list(csv.reader(io.StringIO("".join(chunks))))
    assert rows[0] == ["a"] and rows[1] == ["'=0"] and len(rows) == 1201
