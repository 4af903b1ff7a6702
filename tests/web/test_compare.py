"""The profile-vs-document display scores (colour levels of the comparison table and boxes)."""

from __future__ import annotations

from docverify.web.compare import field_levels, field_rows, score

from .conftest import PROFILE


def test_scores_fold_case_accents_and_zip_plus_four():
    assert score("last_name", "Muñoz", "MUNOZ").level == "match"
    assert score("address.zip", "06106", "06106-1234").score == 100
    assert score("date_of_birth", "1981-03-14", "1981-03-15").level == "mismatch"
    assert score("last_name", "Gonzalez-Rivera", "GONZALES").level == "mismatch"
    assert score("last_name", "Gonzalez", None).level == "absent"


def test_rows_and_box_levels_take_the_worst_address_part():
    doc = {
        "fields": {
            "first_name": "MARIA",
            "address": {
                "line1": "12 ELM ST",
                "line2": "APT 3",
                "city": "SPRINGFIELD",
                "state": "CT",
                "zip": "06106",
            },
        }
    }
    rows = field_rows(PROFILE, [doc])
    by_key = {r.key: r for r in rows}
    assert by_key["address.line1"].cells[0].level == "match"  # line2 joined on both sides
    assert by_key["address.city"].cells[0].level == "mismatch"
    assert field_levels(rows, 0)["address"] == "mismatch"
    assert field_levels(rows, 0)["first_name"] == "match"


def test_middle_initial_matches_full_middle_name():
    assert score("middle_name", "J", "JOSEPH").level == "match"
    assert score("middle_name", "L", "JOSEPH").level == "mismatch"
