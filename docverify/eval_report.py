"""Presentation of an evaluation report (`docverify.metrics.summarise`): tables and a figure.

`print_report(report, console)` prints rich tables; `plot_report(report, path)` writes
one PNG a person can read at a glance: confusion-matrix heatmap, per-flag precision and
recall, quality-score distributions good vs defective, mean time per stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

Report = Mapping[str, Any]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _sec(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def decision_table(report: Report) -> Table:
    """Confusion matrix: truth rows x predicted columns."""
    d = report["decision"]
    table = Table(title=f"Decision accuracy {_pct(d['accuracy'])} ({d['correct']}/{d['n']})")
    table.add_column("truth \\ got")
    for column in d["columns"]:
        table.add_column(column, justify="right")
    for row, counts in zip(d["rows"], d["matrix"], strict=True):
        cells = [
            f"[bold green]{n}[/]" if col == row else (str(n) if n else "[dim]0[/]")
            for col, n in zip(d["columns"], counts, strict=True)
        ]
        table.add_row(row, *cells)
    return table


def scenario_table(report: Report) -> Table:
    """Decision accuracy per scenario."""
    table = Table(title="Decision accuracy per scenario")
    for name, justify in (("scenario", "left"), ("n", "right"), ("accuracy", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for scenario, s in report["scenarios"].items():
        table.add_row(scenario, str(s["n"]), _pct(s["accuracy"]))
    return table


def flag_table(report: Report) -> Table:
    """Per-flag precision, recall and support."""
    table = Table(title="Flags (application level)")
    table.add_column("code")
    for name in ("support", "tp", "fp", "fn", "precision", "recall"):
        table.add_column(name, justify="right")
    for code, m in report["flags"].items():
        table.add_row(
            code,
            *(str(m[k]) for k in ("support", "tp", "fp", "fn")),
            _pct(m["precision"]),
            _pct(m["recall"]),
        )
    return table


def field_table(report: Report) -> Table:
    """Per-field extraction accuracy on legible documents."""
    table = Table(title="Field extraction (legible documents)")
    table.add_column("field")
    for name in ("n", "correct", "missing", "accuracy"):
        table.add_column(name, justify="right")
    for name, m in report["fields"].items():
        if m["n"]:
            table.add_row(
                name, str(m["n"]), str(m["correct"]), str(m["missing"]), _pct(m["accuracy"])
            )
    return table


INFORMATIONAL_CHECKS: dict[str, str] = {"framing": "info:WRONG_DOC"}
"""Quality checks that raise no flag of their own, with what reports the problem instead: a
document cut off or missing from the picture is reported as WRONG_DOCUMENT_TYPE (or
TEXT_UNREADABLE), so its precision/recall against the IMAGE_* flags is informational only."""


def quality_flag_label(check: str, flag: str | None) -> str:
    """What the calibration table shows in its flag column (never a bare '?')."""
    short = check.removeprefix("image_quality.")
    if short in INFORMATIONAL_CHECKS:
        return INFORMATIONAL_CHECKS[short]
    if not flag:
        return "info:no flag"
    return flag.removeprefix("IMAGE_").replace("RESOLUTION", "RES")


def _pct0(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def quality_table(report: Report) -> Table:
    """Per-quality-check calibration; fits an 80-column terminal (short names and scores)."""
    table = Table(
        title="Image-quality calibration",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("check", no_wrap=True)
    table.add_column("flag", no_wrap=True)
    for name in ("n", "prec", "rec", "good", "bad", "cut/F1"):
        table.add_column(name, justify="right", no_wrap=True)
    for check, q in report["quality"].items():
        good, bad, best = q["good"], q["defective"], q["suggested_threshold"]
        table.add_row(
            check.removeprefix("image_quality."),
            quality_flag_label(check, q["flag"]),
            str(q["n"]),
            _pct0(q["precision"]),
            _pct0(q["recall"]),
            _score(good["p10"]),
            _score(bad["p90"]),
            f"{best['threshold']:.2f}/{best['f1']:.2f}" if best else "—",
        )
    return table


QUALITY_LEGEND = (
    "scores: 1 = good; good = p10 of good documents, bad = p90 of defective ones, "
    "cut/F1 = best score cut and its F1; 'info:' rows raise no IMAGE_* flag (a document "
    "cut off or missing from the picture is reported as WRONG_DOCUMENT_TYPE or "
    "TEXT_UNREADABLE)"
)


def timing_table(report: Report) -> Table:
    """Seconds per application and per stage."""
    t = report["timing"]
    a = t["application"]
    title = (
        f"Seconds per application: mean {_sec(a['mean'])}, "
        f"p50 {_sec(a['p50'])}, p95 {_sec(a['p95'])}"
    )
    table = Table(title=title)
    table.add_column("stage")
    for name in ("docs", "mean", "p50", "p95", "total", "share"):
        table.add_column(name, justify="right")
    for stage, s in sorted(t["stages"].items(), key=lambda kv: -kv[1]["total"]):
        table.add_row(
            stage,
            str(s["n"]),
            *(_sec(s[k]) for k in ("mean", "p50", "p95", "total")),
            _pct(s["share"]),
        )
    return table


def worst_table(report: Report) -> Table:
    """The applications with wrong decisions, the most wrong first."""
    table = Table(title="Worst cases (wrong decisions)")
    for name in ("application", "scenario", "expected", "got", "missing flags", "extra flags"):
        table.add_column(name, overflow="fold")
    for row in report["worst_cases"]:
        table.add_row(
            row["application_id"],
            row["scenario"],
            row["expected_decision"],
            row["got_decision"] + (f" ({row['error']})" if row["error"] else ""),
            ", ".join(row["missing_flags"]) or "—",
            ", ".join(row["extra_flags"]) or "—",
        )
    return table


def print_report(report: Report, console: Console) -> None:
    """Print every section of the report."""
    clean, types = report["clean"], report["document_types"]
    console.print(decision_table(report))
    console.print(scenario_table(report))
    console.print(flag_table(report))
    codes = ", ".join(f"{c} x{n}" for c, n in clean["codes"].items()) or "none"
    console.print(
        f"Clean applications flagged: {clean['flagged']}/{clean['n']} ({_pct(clean['rate'])}); "
        f"codes on clean ones: {codes}"
    )
    console.print(field_table(report))
    mistakes = "; ".join(f"{m['expected']} -> {m['got']} x{m['count']}" for m in types["mistakes"])
    console.print(
        f"Document type accuracy {_pct(types['accuracy'])} ({types['correct']}/{types['n']}); "
        f"on legible documents {_pct(types['legible_accuracy'])} (of {types['legible_n']})"
        + (f"; most common mistakes: {mistakes}" if mistakes else "")
    )
    if report["quality"]:
        console.print(quality_table(report))
        console.print(QUALITY_LEGEND, style="dim")
    else:
        console.print("No image_quality.* checks in the verdicts.")
    console.print(timing_table(report))
    crashes = report.get("processing_errors", {})
    for kind in ("documents", "applications"):
        for what, n in crashes.get(kind, {}).items():
            console.print(f"[red]pipeline error[/] ({kind}) {what}: {n}")
    if report["worst_cases"]:
        console.print(worst_table(report))
    run = report.get("run", {})
    if run:
        console.print(
            f"{report['applications']} applications, {report['errors']} not examined, "
            f"{run['re_examined_for_duplicates']} re-examined for duplicates, "
            f"wall {run['wall_seconds']:.1f} s with {run['jobs']} job(s)"
        )


# --------------------------------------------------------------------------- figure


def plot_report(report: Report, path: Path) -> None:
    """Write the report's figure as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(14, 10))
    _plot_confusion(axes[0][0], report)
    _plot_flags(axes[0][1], report)
    _plot_quality(axes[1][0], report)
    _plot_stages(axes[1][1], report)
    fig.suptitle(f"docverify evaluation: {report['applications']} applications", fontsize=14)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=100)
    plt.close(fig)


def _plot_confusion(ax: Any, report: Report) -> None:
    d = report["decision"]
    ax.imshow(d["matrix"], cmap="Blues")
    ax.set_xticks(range(len(d["columns"])), d["columns"])
    ax.set_yticks(range(len(d["rows"])), d["rows"])
    ax.set_xlabel("predicted")
    ax.set_ylabel("truth")
    top = max((max(r) for r in d["matrix"]), default=0) or 1
    for i, row in enumerate(d["matrix"]):
        for j, n in enumerate(row):
            ax.text(
                j, i, str(n), ha="center", va="center", color="white" if n > top / 2 else "black"
            )
    ax.set_title(f"Decisions: accuracy {_pct(d['accuracy'])}")


def _plot_flags(ax: Any, report: Report) -> None:
    flags = report["flags"]
    codes = list(flags)
    ys = range(len(codes))
    precision = [flags[c]["precision"] or 0.0 for c in codes]
    recall = [flags[c]["recall"] or 0.0 for c in codes]
    ax.barh([y + 0.2 for y in ys], precision, height=0.4, label="precision")
    ax.barh([y - 0.2 for y in ys], recall, height=0.4, label="recall")
    for y, p, r in zip(ys, precision, recall, strict=True):
        ax.text(p + 0.01, y + 0.2, _pct(flags[codes[y]]["precision"]), va="center", fontsize=7)
        ax.text(r + 0.01, y - 0.2, _pct(flags[codes[y]]["recall"]), va="center", fontsize=7)
    ax.set_yticks(list(ys), [f"{c} ({flags[c]['support']})" for c in codes], fontsize=8)
    ax.set_xlim(0, 1.15)
    ax.invert_yaxis()
    ax.legend(loc="lower right")
    ax.set_title("Flags: precision / recall (support)")


def _plot_quality(ax: Any, report: Report) -> None:
    quality = report["quality"]
    if not quality:
        ax.text(0.5, 0.5, "no image_quality.* checks", ha="center", va="center")
        ax.set_axis_off()
        return
    data, labels, colors = [], [], []
    for name, q in quality.items():
        short = name.removeprefix("image_quality.")
        for kind, color in (("good", "tab:green"), ("defective", "tab:red")):
            scores = q[f"{kind}_scores"]
            data.append(scores or [float("nan")])
            labels.append(f"{short}\n{kind} ({len(scores)})")
            colors.append(color)
    parts = ax.boxplot(data, patch_artist=True)
    for patch, color in zip(parts["boxes"], colors, strict=True):
        patch.set_facecolor(color)
        patch.set_alpha(0.5)
    ax.set_xticks(range(1, len(labels) + 1), labels, fontsize=7, rotation=45)
    ax.set_ylabel("score (1 = good)")
    ax.set_title("Quality scores: good vs defective")


def _plot_stages(ax: Any, report: Report) -> None:
    stages = report["timing"]["stages"]
    names = sorted(stages, key=lambda s: stages[s]["total"])
    ax.barh(names, [stages[s]["mean"] or 0.0 for s in names], color="tab:purple")
    ax.set_xlabel("mean seconds per document")
    app = report["timing"]["application"]
    ax.set_title(f"Time per stage (application p50 {_sec(app['p50'])} s, p95 {_sec(app['p95'])} s)")
