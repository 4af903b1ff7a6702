"""When a zone that fails its check digits was read well enough for the failure to count."""

from __future__ import annotations

from pipeline.config import MrzConfig
from pipeline.reading.mrz import read_well

CFG = MrzConfig()


def test_a_sure_read_counts_whatever_fails() -> None:
    assert read_well(CFG.confident_ocr + 0.05, ("date of birth", "composite"), CFG)


def test_only_the_composite_failing_counts_even_when_ocr_was_unsure() -> None:
    assert read_well(CFG.confident_ocr - 0.2, ("composite",), CFG)  # the fields vouch for it
    assert not read_well(CFG.confident_ocr - 0.2, ("expiry date", "composite"), CFG)
    assert not read_well(CFG.confident_ocr - 0.2, ("optional data",), CFG)
