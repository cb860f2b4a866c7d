"""The region loader: whole-source validation, row numbers in errors, idempotence, updates."""

import csv
import gzip
from pathlib import Path

import pytest
from django.core.management import call_command

from ilp.regions.loader import (
    ERR_BAD_CODE,
    ERR_DUPLICATE,
    ERR_NO_PARENT,
    ERR_PARENT_MISMATCH,
    RegionSourceError,
    load_regions,
    read_source,
)
from ilp.regions.models import Level, Region

SMALL = {
    "provinces": [("code", "name"), ("91", "Papua Uji")],
    "regencies": [("code", "province_code", "name"), ("91.01", "91", "Kabupaten Uji")],
    "districts": [("code", "regency_code", "name"), ("91.01.01", "91.01", "Distrik Satu")],
    "villages": [
        ("code", "district_code", "name"),
        ("91.01.01.2001", "91.01.01", "Kampung Satu"),
        ("91.01.01.2002", "91.01.01", "Kampung Dua"),
    ],
}


def _write(tmp_path: Path, tables: dict, gz: bool = False) -> Path:
    for stem, rows in tables.items():
        path = tmp_path / f"{stem}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        if gz:
            (tmp_path / f"{stem}.csv.gz").write_bytes(gzip.compress(path.read_bytes()))
            path.unlink()
    (tmp_path / "SOURCE.json").write_text('{"name": "test", "version": "0", "licence": "ODbL-1.0"}')
    return tmp_path


def _with(stem, *rows):
    tables = {k: list(v) for k, v in SMALL.items()}
    tables[stem] = tables[stem] + list(rows)
    return tables


@pytest.mark.parametrize(
    ("_case", "tables", "message"),
    [
        ("bad code", _with("villages", ("91.01.01.20X3", "91.01.01", "Salah")), str(ERR_BAD_CODE).format(
            file="villages.csv", line=4, code="91.01.01.20X3")),
        ("missing parent", _with("villages", ("91.01.02.2001", "91.01.02", "Yatim")), str(ERR_NO_PARENT).format(
            file="villages.csv", line=4, code="91.01.02.2001", parent="91.01.02")),
        ("prefix mismatch", _with("districts", ("91.02.01", "91.01", "Salah Induk")),
         str(ERR_PARENT_MISMATCH).format(file="districts.csv", line=3, code="91.02.01", parent="91.01")),
        ("duplicate", _with("villages", ("91.01.01.2001", "91.01.01", "Kembar")), str(ERR_DUPLICATE).format(
            file="villages.csv", line=4, code="91.01.01.2001", first=2)),
    ],
)  # fmt: skip
def test_a_malformed_row_stops_the_load_with_its_line_and_writes_nothing(db, tmp_path, _case, tables, message):
    # given a source with one bad row at the end of a file
    source = _write(tmp_path, tables)
    before = Region.objects.count()
    # when it is loaded
    with pytest.raises(RegionSourceError) as err:
        load_regions(data_dir=source)
    # then the message names file, line and code, and nothing was written (not even the good rows)
    assert str(err.value) == message
    assert Region.objects.count() == before
    assert not Region.objects.filter(code__startswith="91").exists()


def test_load_creates_the_hierarchy_with_flattened_columns(db, tmp_path):
    report = load_regions(data_dir=_write(tmp_path, SMALL, gz=True))
    assert {lvl: c.created for lvl, c in report.counts.items()} == {1: 1, 2: 1, 3: 1, 4: 2}
    village = Region.objects.get(code="91.01.01.2002")
    province, regency, district = (Region.objects.get(code=c) for c in ("91", "91.01", "91.01.01"))
    assert (village.province_id, village.regency_id, village.district_id, village.village_id) == (
        province.id, regency.id, district.id, village.id,
    )  # fmt: skip
    assert village.parent_id == district.id
    assert Region.objects.filter(regency=regency).count() == 4  # the regency itself, district, two villages


def test_a_second_load_changes_nothing(db, tmp_path):
    source = _write(tmp_path, SMALL)
    load_regions(data_dir=source)
    stamps = dict(Region.objects.filter(code__startswith="91").values_list("code", "updated_at"))
    report = load_regions(data_dir=source)
    assert report.changed == 0
    assert dict(Region.objects.filter(code__startswith="91").values_list("code", "updated_at")) == stamps


def test_a_renamed_region_is_updated_and_a_dropped_one_deactivated_not_deleted(db, tmp_path):
    load_regions(data_dir=_write(tmp_path, SMALL), provinces=["91"])
    changed = {k: list(v) for k, v in SMALL.items()}
    changed["villages"] = [changed["villages"][0], ("91.01.01.2001", "91.01.01", "Kampung Satu Baru")]
    # a full load (no province filter) deactivates what the source no longer lists
    report = load_regions(data_dir=_write(tmp_path, changed))
    assert report.counts[Level.VILLAGE].updated == 1
    assert Region.objects.get(code="91.01.01.2001").name == "Kampung Satu Baru"
    dropped = Region.objects.get(code="91.01.01.2002")
    assert dropped.is_active is False


def test_the_shipped_source_is_the_whole_of_indonesia():
    rows = read_source()
    counts = {}
    for row in rows:
        counts[row.level] = counts.get(row.level, 0) + 1
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    names = {r.code: r.name for r in rows if r.code.startswith("13.06.03.") or r.code in ("13.06", "32.01")}
    assert names["13.06"] == "Kabupaten Agam"
    assert names["32.01"] == "Kabupaten Bogor"
    assert names["13.06.03.2003"] == "Maninjau"
    assert len([c for c in names if c.startswith("13.06.03.")]) == 10


def test_cli_loads_everything_idempotently_and_prints_counts_per_level(db, capsys):
    # when the whole country is loaded from the CLI
    call_command("regions", "load", "--no-progress")
    first = capsys.readouterr().out
    # then each level is reported with its count and every desa/kelurahan is there
    for total in ("38", "514", "7285", "83762"):
        assert any(total in line for line in first.splitlines())
    assert Region.objects.filter(level=Level.VILLAGE, is_active=True).count() == 83762
    # and a second run writes nothing
    last_change = Region.objects.latest("updated_at").updated_at
    call_command("regions", "load", "--no-progress")
    capsys.readouterr()
    assert Region.objects.latest("updated_at").updated_at == last_change
