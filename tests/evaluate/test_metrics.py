"""Metric computations on hand-made predictions: exact numbers."""

from __future__ import annotations

import pytest

from docverify.metrics import (
    AppRecord,
    CheckRecord,
    DocRecord,
    best_threshold,
    clean_false_positives,
    decision_confusion,
    doctype_accuracy,
    field_accuracy,
    field_matches,
    field_misses,
    flag_metrics,
    norm_line1,
    quality_calibration,
    ratio,
    summarise,
    timing,
    worst_cases,
)
from models.truth import DocumentTruth, Truth


def truth(
    app_id: str,
    decision: str,
    flags: list[str] | None = None,
    scenario: str = "clean",
    docs: list[DocumentTruth] | None = None,
) -> Truth:
    return Truth(
        application_id=app_id,
        scenario=scenario,
        decision=decision,
        flags=flags or [],
        documents=docs or [],
    )


def rec(t: Truth, decision: str | None, flags: tuple[str, ...] = (), **kw: object) -> AppRecord:
    return AppRecord(truth=t, decision=decision, flags=flags, **kw)  # type: ignore[arg-type]


def test_confusion_matrix_and_accuracy():
    records = [
        rec(truth("a", "pass"), "pass"),
        rec(truth("b", "pass"), "review"),
        rec(truth("c", "review"), "review"),
        rec(truth("d", "resubmit"), "pass"),
        rec(truth("e", "resubmit"), "resubmit"),
        rec(truth("f", "resubmit"), None, error="BundleInvalid: x"),
    ]
    d = decision_confusion(records)
    assert d["columns"] == ["pass", "review", "resubmit", "error"]
    assert d["matrix"] == [[1, 1, 0, 0], [0, 1, 0, 0], [1, 0, 1, 1]]
    assert d["correct"] == 3
    assert d["accuracy"] == 0.5


def test_confusion_without_errors_has_three_columns():
    d = decision_confusion([rec(truth("a", "pass"), "pass")])
    assert d["columns"] == ["pass", "review", "resubmit"]
    assert d["accuracy"] == 1.0


def test_flag_precision_recall_support():
    records = [
        rec(truth("a", "review", ["NAME_MISMATCH"]), "review", ("NAME_MISMATCH",)),
        rec(truth("b", "review", ["NAME_MISMATCH"]), "pass"),
        rec(truth("c", "pass"), "review", ("NAME_MISMATCH", "IMAGE_GLARE")),
        rec(truth("d", "resubmit", ["IMAGE_GLARE"]), "resubmit", ("IMAGE_GLARE",)),
        rec(truth("e", "resubmit", ["IMAGE_GLARE"]), None),  # not examined: not counted
    ]
    m = flag_metrics(records)
    assert m["NAME_MISMATCH"] == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "support": 2,
        "precision": 0.5,
        "recall": 0.5,
    }
    assert m["IMAGE_GLARE"]["tp"] == 1
    assert m["IMAGE_GLARE"]["fp"] == 1
    assert m["IMAGE_GLARE"]["support"] == 1
    assert m["IMAGE_GLARE"]["recall"] == 1.0


def test_flag_never_predicted_has_no_precision():
    m = flag_metrics([rec(truth("a", "review", ["DOB_MISMATCH"]), "pass")])
    assert m["DOB_MISMATCH"]["precision"] is None
    assert m["DOB_MISMATCH"]["recall"] == 0.0


def test_clean_false_positive_rate_lists_codes():
    records = [
        rec(truth("a", "pass"), "pass"),
        rec(truth("b", "pass"), "review", ("NAME_MISMATCH",)),
        rec(truth("c", "pass"), "review", ("NAME_MISMATCH", "ADDRESS_MISMATCH")),
        rec(truth("d", "pass"), "pass"),
        rec(truth("e", "review", ["DOB_MISMATCH"], scenario="DOB_MISMATCH"), "pass"),
    ]
    c = clean_false_positives(records)
    assert (c["n"], c["flagged"], c["rate"], c["not_pass"]) == (4, 2, 0.5, 2)
    assert c["codes"] == {"NAME_MISMATCH": 2, "ADDRESS_MISMATCH": 1}


def test_usps_normaliser():
    assert norm_line1("12 Elm Street, Apartment 3") == norm_line1("12 ELM ST APT 3")
    assert norm_line1("400 North Main Avenue") == norm_line1("400 N. Main Ave")
    assert norm_line1("12 Elm St") != norm_line1("21 Elm St")


def test_field_matching_rules():
    fields = {
        "first_name": "Maria",
        "middle_name": "L",
        "date_of_birth": "1981-03-14",
        "document_number": "123-456-789",
        "address": {"line1": "12 Elm Street", "line2": "Apt 3", "zip": "06106-1234"},
    }
    assert field_matches("first_name", fields, "MARIA")
    assert field_matches("middle_name", fields, "L.")
    assert field_matches("date_of_birth", fields, "1981-03-14")
    assert not field_matches("date_of_birth", fields, "1981-03-15")
    assert field_matches("document_number", fields, "123 456 789")
    assert field_matches("address.line1", fields, "12 ELM ST")
    assert field_matches("address.line1", fields, "12 ELM ST APT 3")
    assert not field_matches("address.line1", fields, "12 OAK ST")
    assert field_matches("address.zip", fields, "06106")
    assert not field_matches("first_name", fields, None)


def _read_fields() -> list[AppRecord]:
    """A legible licence read with one name right, one missing and the city wrong, beside
    an illegible bill."""
    legible = DocumentTruth(
        document_id="d1",
        document_type="drivers_license",
        fields={"first_name": "Ann", "last_name": "Lee", "address": {"city": "Hartford"}},
    )
    illegible = DocumentTruth(
        document_id="d2", document_type="utility_bill", legible=False, fields={"first_name": "Ann"}
    )
    got = DocRecord(document_id="d1", fields={"first_name": "ANN", "address": {"city": "BOSTON"}})
    return [rec(truth("a", "pass", docs=[legible, illegible]), "pass", documents=(got,))]


def test_field_accuracy_counts_missing_as_wrong_and_skips_illegible():
    f = field_accuracy(_read_fields())
    assert f["first_name"] == {"n": 1, "correct": 1, "missing": 0, "accuracy": 1.0}
    assert f["last_name"] == {"n": 1, "correct": 0, "missing": 1, "accuracy": 0.0}
    assert f["address.city"]["accuracy"] == 0.0
    assert f["address.zip"] == {"n": 0, "correct": 0, "missing": 0, "accuracy": None}


def test_field_misses_list_the_wrong_and_missing_fields_of_legible_documents():
    records = _read_fields()
    misses = field_misses(records)
    assert [(m["document_id"], m["field"], m["got"]) for m in misses] == [
        ("d1", "last_name", None),
        ("d1", "address.city", "BOSTON"),
    ]
    assert misses[0]["application_id"] == "a" and misses[0]["expected"] == "Lee"
    assert field_misses(records, limit=1) == misses[:1]


def test_doctype_accuracy_and_mistakes():
    docs = [
        DocumentTruth(document_id="d1", document_type="drivers_license"),
        DocumentTruth(document_id="d2", document_type="utility_bill"),
        DocumentTruth(document_id="d3", document_type="utility_bill"),
        DocumentTruth(document_id="d4", document_type="passport", legible=False),
    ]
    got = (
        DocRecord("d1", "drivers_license"),
        DocRecord("d2", "bank_statement"),
        DocRecord("d3", "bank_statement"),
        DocRecord("d4", "other"),
    )
    records = [rec(truth("a", "pass", docs=docs), "pass", documents=got)]
    d = doctype_accuracy(records)
    assert (d["n"], d["correct"]) == (4, 1)
    assert (d["legible_n"], d["legible_accuracy"]) == (3, ratio(1, 3))
    assert d["mistakes"] == [
        {"expected": "utility_bill", "got": "bank_statement", "count": 2},
        {"expected": "passport", "got": "other", "count": 1},
    ]


def _quality_record(app_id: str, score: float, fired: bool, defective: bool) -> AppRecord:
    flags = ["IMAGE_BLURRY"] if defective else []
    doc = DocumentTruth(document_id="d1", document_type="drivers_license", flags=flags)
    check = CheckRecord(
        "image_quality.sharpness",
        "fail" if fired else "pass",
        score,
        "IMAGE_BLURRY" if fired else None,
    )
    got = DocRecord("d1", "drivers_license", checks=(check, CheckRecord("ocr.text", "pass", 0.9)))
    return rec(truth(app_id, "pass", flags, docs=[doc]), "pass", documents=(got,))


def test_quality_calibration_precision_recall_and_distributions():
    records = [
        _quality_record("a", 0.9, fired=False, defective=False),
        _quality_record("b", 0.8, fired=False, defective=False),
        _quality_record("c", 0.3, fired=True, defective=False),
        _quality_record("d", 0.1, fired=True, defective=True),
        _quality_record("e", 0.5, fired=False, defective=True),
    ]
    q = quality_calibration(records)
    assert list(q) == ["image_quality.sharpness"]
    s = q["image_quality.sharpness"]
    assert s["flag"] == "IMAGE_BLURRY"
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (1, 1, 1, 2)
    assert (s["precision"], s["recall"]) == (0.5, 0.5)
    assert sorted(s["good_scores"]) == [0.3, 0.8, 0.9]
    assert sorted(s["defective_scores"]) == [0.1, 0.5]
    assert s["good"]["p50"] == 0.8


def test_quality_code_guessed_from_name_when_never_fired():
    q = quality_calibration([_quality_record("a", 0.9, fired=False, defective=True)])
    assert q["image_quality.sharpness"]["flag"] == "IMAGE_BLURRY"
    assert q["image_quality.sharpness"]["fn"] == 1


def test_best_threshold_separates_classes():
    best = best_threshold(good=[0.7, 0.8, 0.9], bad=[0.1, 0.2])
    assert best is not None
    assert 0.2 < best["threshold"] <= 0.7
    assert best["f1"] == 1.0
    assert best_threshold([0.5], []) is None


def test_timing_per_application_and_stage():
    docs = (
        DocRecord("d1", timings={"load_file": 0.1, "read_text": 0.9}),
        DocRecord("d2", timings={"load_file": 0.3}),
    )
    records = [
        rec(truth("a", "pass"), "pass", documents=docs, seconds=1.0),
        rec(truth("b", "pass"), "pass", seconds=3.0),
    ]
    t = timing(records)
    assert t["application"]["mean"] == 2.0
    assert t["application"]["p50"] == 2.0
    assert t["stages"]["load_file"]["n"] == 2
    assert t["stages"]["load_file"]["mean"] == pytest.approx(0.2)
    assert t["stages"]["read_text"]["share"] == pytest.approx(0.9 / 1.3, abs=1e-4)


def test_worst_cases_most_wrong_first_and_only_wrong():
    records = [
        rec(truth("a", "pass"), "pass"),
        rec(truth("b", "pass"), "review", ("NAME_MISMATCH",)),
        rec(truth("c", "pass", scenario="clean"), "resubmit", ("IMAGE_GLARE",)),
    ]
    worst = worst_cases(records)
    assert [w["application_id"] for w in worst] == ["c", "b"]
    assert worst[0]["extra_flags"] == ["IMAGE_GLARE"]
    assert worst[0]["expected_decision"] == "pass"


def test_summary_with_no_examined_application_has_no_ratios():
    report = summarise([rec(truth("a", "pass"), None, error="crash: ValueError")])
    assert report["decision"]["accuracy"] == 0.0
    assert report["clean"]["rate"] is None
    assert report["timing"]["application"]["mean"] is None
    assert report["errors"] == 1


def test_processing_errors_count_stage_crashes_and_unexamined():
    crashed = DocRecord(
        "d1", checks=(CheckRecord("stage.rectify", "fail", None, "PROCESSING_ERROR", "boom"),)
    )
    records = [
        rec(truth("a", "pass"), "review", ("PROCESSING_ERROR",), documents=(crashed,)),
        rec(truth("b", "pass"), None, error="BundleInvalid: no manifest"),
    ]
    p = summarise(records)["processing_errors"]
    assert p == {"documents": {"stage.rectify: boom": 1}, "applications": {"BundleInvalid": 1}}


def test_plot_with_quality_and_flags_is_a_png(tmp_path):
    from docverify.eval_report import plot_report

    records = [
        _quality_record("a", 0.9, fired=False, defective=False),
        _quality_record("b", 0.2, fired=True, defective=True),
    ]
    out = tmp_path / "fig.png"
    plot_report(summarise(records), out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 10_000


def test_names_compare_without_accents_case_or_punctuation():
    from docverify.metrics import norm_text

    assert norm_text("Ó Súilleabháin") == norm_text("O SUILLEABHAIN")
    assert norm_text("Andrés") == "ANDRES"
    assert norm_text("O'Brien-Smith") == "OBRIENSMITH"
    assert norm_text("Anna") != norm_text("Ana")
