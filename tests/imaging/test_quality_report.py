"""The calibration table of `docverify evaluate`: readable in 80 columns, no '?' flag."""

from __future__ import annotations

import io

from rich.console import Console

from docverify import eval_report


def _row(flag: str | None) -> dict[str, object]:
    stats = {"p10": 0.9, "p50": 0.95, "p90": 0.99}
    return {
        "flag": flag,
        "n": 265,
        "precision": 1.0,
        "recall": 0.667,
        "good": stats,
        "defective": {"p10": 0.01, "p50": 0.04, "p90": 0.2},
        "suggested_threshold": {"threshold": 0.4861, "f1": 1.0},
    }


REPORT = {
    "quality": {
        "image_quality.exposure": _row("IMAGE_TOO_DARK"),
        "image_quality.framing": _row(None),
        "image_quality.resolution": _row("IMAGE_LOW_RESOLUTION"),
        "image_quality.sharpness": _row("IMAGE_BLURRY"),
        "image_quality.mystery": _row(None),
    }
}


def test_every_row_has_a_meaningful_flag_label():
    assert eval_report.quality_flag_label("image_quality.framing", None).startswith("info:")
    assert "WRONG_DOC" in eval_report.quality_flag_label("image_quality.framing", None)
    assert eval_report.quality_flag_label("image_quality.mystery", None) == "info:no flag"
    assert eval_report.quality_flag_label("image_quality.glare", "IMAGE_GLARE") == "GLARE"
    assert "TEXT_UNREADABLE" in eval_report.QUALITY_LEGEND


def test_table_fits_80_columns_without_truncating_names():
    out = io.StringIO()
    Console(file=out, width=80, color_system=None).print(eval_report.quality_table(REPORT))
    text = out.getvalue()
    assert "?" not in text and "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 80
    for name in ("exposure", "framing", "resolution", "sharpness", "LOW_RES", "TOO_DARK"):
        assert name in text
    assert "0.49/1.00" in text
