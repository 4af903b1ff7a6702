"""A licence's field lines are no machine-readable zone (fresh seed 10044: one licence
front in six was sent to the zone reader, which read a poor zone out of "3 DOB 12/12/1986
4b EXP 09/02/2030" and warned)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from models.internal import PageText
from pipeline.reading import mrz
from tests.reading.synth import line_words

from .conftest import image_doc


def _bands_read(ctx, monkeypatch: pytest.MonkeyPatch, *lines: str) -> list:
    """The bands `read_mrz` sends to the zone reader for a page reading `lines`."""
    words = [
        replace(w, line=i)
        for i, text in enumerate(lines)
        for w in line_words(text, 40, 60 + 40 * i)
    ]
    text = PageText(0, tuple(words), "ocr", 1100, 700)
    doc = replace(image_doc(np.full((700, 1100, 3), 255, np.uint8)), text=(text,))
    bands: list = []
    monkeypatch.setattr(mrz, "_read_band", lambda page, band, c: bands.append(band))
    mrz.read_mrz(doc, ctx)
    return bands


def test_date_lines_of_a_licence_are_not_read_as_a_zone(ctx, monkeypatch) -> None:
    lines = (
        "3 DOB 12/12/1986 4b EXP 09/02/2030",
        "4a ISS 09-19-2022 15 SEX M 18 EYES BRO",
        "8 4 CHESTNUT CT APT 9 FRAMINGHAM MA 01701",
    )
    assert _bands_read(ctx, monkeypatch, *lines) == []


def test_a_zone_line_whose_fillers_were_misread_is_still_a_zone(ctx, monkeypatch) -> None:
    lines = ("PASSPORT", "L898902C36UTO7408122F1204159ZE184226B")
    assert len(_bands_read(ctx, monkeypatch, *lines)) == 1
