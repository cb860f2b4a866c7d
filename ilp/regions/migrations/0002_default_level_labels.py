"""Seed the local level names: in Sumatera Barat (13) the desa is a Nagari and the dusun a Jorong (ILP.md §4)."""

from django.db import migrations

DEFAULTS = [("13", 4, "Nagari"), ("13", 5, "Jorong")]


def seed(apps, schema_editor):
    LevelLabel = apps.get_model("regions", "LevelLabel")
    for area, level, label in DEFAULTS:
        LevelLabel.objects.get_or_create(area_code=area, level=level, defaults={"label": label})


def unseed(apps, schema_editor):
    LevelLabel = apps.get_model("regions", "LevelLabel")
    for area, level, _label in DEFAULTS:
        LevelLabel.objects.filter(area_code=area, level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
