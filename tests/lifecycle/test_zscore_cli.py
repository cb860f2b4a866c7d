"""``ilp zscore --in FILE --out FILE``: the CSV contract (columns, empties, flags, bad rows on stderr)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ilp.lifecycle.rules.growth import zscore_csv

Z_COLUMNS = ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac"]
FLAG_COLUMNS = [f"flag_{c}" for c in Z_COLUMNS]


def run(tmp_path, text):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("zscore", "--in", str(src), "--out", str(dst), stdout=out, stderr=err)
    with dst.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh)), err.getvalue(), dst.read_text(encoding="utf-8")


def test_writes_input_columns_then_z_scores_and_flags(tmp_path):
    # given two children with columns in a different order and an extra column
    text = (
        "nik,oedema,muac_cm,headc_cm,measure,lenhei_cm,weight_kg,age_days,sex\n"
        "A1,n,15.0,46.0,L,75.0,9.646,365,1\n"
        "A2,,,,,,7.741,365,1\n"
    )
    # when the command runs
    rows, err, raw = run(tmp_path, text)
    # then the header keeps the input columns and appends the z-scores and flags
    assert raw.splitlines()[0].split(",") == text.splitlines()[0].split(",") + Z_COLUMNS + FLAG_COLUMNS
    # and weianthro's median (9.646 kg) and SD2neg (7.741 kg) for boys of 365 days give 0.00 and -2.00
    assert rows[0]["nik"] == "A1" and rows[0]["zwei"] == "0.00" and rows[1]["zwei"] == "-2.00"
    # and indices without their measurements stay empty, with empty flags
    assert rows[1]["zlen"] == rows[1]["zhc"] == rows[1]["flag_zlen"] == ""
    assert rows[0]["flag_zwei"] == "0"
    assert err == ""


def test_oedema_and_implausible_values(tmp_path):
    # given a child with oedema and one weighing 30 kg at 365 days (far beyond +5 SD)
    rows, _, _ = run(
        tmp_path,
        "sex,age_days,weight_kg,lenhei_cm,measure,headc_cm,muac_cm,oedema\n2,400,8,74,L,,13,y\n1,365,30,75,L,,,n\n",
    )
    # then oedema empties the weight-based z-scores only, and the heavy child is flagged
    assert [rows[0][c] for c in ("zwei", "zwfl", "zbmi")] == ["", "", ""]
    assert rows[0]["zlen"] != "" and rows[0]["zac"] != ""
    assert rows[1]["flag_zwei"] == "1" and float(rows[1]["zwei"]) > 5


def test_bad_rows_get_empty_z_scores_and_are_counted_on_stderr_in_indonesian(tmp_path):
    # given a file with an unknown sex, a negative age, text in a number column and a good row
    rows, err, _ = run(
        tmp_path,
        "sex,age_days,weight_kg,lenhei_cm,measure,headc_cm,muac_cm,oedema\n"
        "3,100,6,60,L,,,\n"
        "1,-4,6,60,L,,,\n"
        "1,100,enam,60,L,,,\n"
        "1,100,6,60,L,,,\n",
    )
    # then the batch finishes, the bad rows have no z-score, the good row has
    assert [r["zlen"] == "" for r in rows] == [True, True, True, False]
    # and stderr says how many rows could not be computed, why, and where (spreadsheet rows)
    assert err.startswith("3 baris tidak dapat dihitung: ")
    assert "jenis kelamin tidak dikenal di kolom sex (1 baris, mis. baris 2)" in err
    assert "umur negatif di kolom age_days (1 baris, mis. baris 3)" in err
    assert "bukan angka di kolom weight_kg (1 baris, mis. baris 4)" in err


def test_empty_values_and_missing_columns_are_not_errors(tmp_path):
    # given only sex, age and weight, some empty, and a short row
    rows, err, _ = run(tmp_path, "sex,age_days,weight_kg\n1,,9\n2,200,\n1,365\n")
    # then nothing is reported and the undefined z-scores are empty
    assert err == ""
    assert [r["zwei"] for r in rows] == ["", "", ""]


def test_large_files_stream_in_chunks_with_the_same_result():
    # given 2500 rows computed in chunks of 1000 and in one chunk
    lines = ["sex,age_days,weight_kg,lenhei_cm,measure,headc_cm,muac_cm,oedema"]
    lines += [f"{1 + i % 2},{i % 1900},{3 + i % 15},{50 + i % 60},,,,{'y' if i == 7 else ''}" for i in range(2500)]
    lines.append("x,1,1,1,,,,")
    text = "\n".join(lines) + "\n"
    chunked, whole = io.StringIO(), io.StringIO()
    report = zscore_csv(io.StringIO(text), chunked, chunk_rows=1000)
    zscore_csv(io.StringIO(text), whole, chunk_rows=10_000)
    # then the output is identical, and the bad last row is counted with its spreadsheet row number
    assert chunked.getvalue() == whole.getvalue()
    assert report.rows == 2501 and report.bad_rows == 1
    assert report.examples[("unknown_sex", "sex")] == [2502]


def test_missing_input_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Berkas tidak dapat dibuka"):
        call_command("zscore", "--in", str(tmp_path / "none.csv"), "--out", str(tmp_path / "out.csv"))
