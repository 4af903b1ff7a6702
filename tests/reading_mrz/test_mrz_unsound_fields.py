"""Licence text taken for a TD1 zone ('A<<<3D0B12111955<<4EXP01302027', letters in its
date of birth) gave a document number whose check digit passed by chance, against the
barcode's: a false BARCODE_MISMATCH (MA-S10005-0041). An unsound zone gives no field; a
sound one read poorly still gives each field whose own check digit agrees."""

from __future__ import annotations

from models.internal import FieldValue, MrzRecord
from pipeline.reading.extract import _checked_mrz_fields

LINES = (
    "A<<<3D0B12111955<<4EXP01302027",
    "4SS02062019<<<<<<<<<<<<<15SEXM",
    "IGHGTSO3<<<<<<<<<<<<<IBEYESGRY",
)
NUMBER = {"document_number": FieldValue("D0B121119", "mrz", 0.0)}


def _zone(sound: bool) -> MrzRecord:
    failed = ("expiry date", "composite")
    return MrzRecord("TD1", LINES, False, False, failed, NUMBER, sound=sound)


def test_an_unsound_zone_gives_no_field() -> None:
    assert _checked_mrz_fields(_zone(sound=False)) == {}


def test_a_sound_zone_read_poorly_keeps_its_checked_fields() -> None:
    assert _checked_mrz_fields(_zone(sound=True)) == NUMBER
