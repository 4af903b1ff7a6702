"""Small server-side SVG charts for the supervisor dashboard (no JavaScript, no images).

Each function returns safe markup (`markupsafe.Markup`) of one self-contained `<svg>`;
labels are escaped. Colours come from CSS classes (`bar`, `seg-<key>`), so the charts
follow the app's stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

_W = 640


def _svg(height: int, body: list[str], label: str) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {_W} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(body)}</svg>'
    )


def column_chart(points: Sequence[tuple[str, float]], label: str, height: int = 200) -> Markup:
    """Vertical bars, one per point (for example decisions per day); every 5th x label shown."""
    if not points:
        return Markup('<p class="muted">No data yet.</p>')
    top = max(max(v for _, v in points), 1.0)
    left, bottom, plot_h = 36, 28, height - 40
    step = (_W - left - 8) / len(points)
    body = [
        f'<line class="axis" x1="{left}" y1="{12 + plot_h}" x2="{_W - 4}" y2="{12 + plot_h}"/>',
        f'<text class="tick" x="{left - 6}" y="18" text-anchor="end">{top:g}</text>',
        f'<text class="tick" x="{left - 6}" y="{12 + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (name, value) in enumerate(points):
        h = plot_h * value / top
        x = left + i * step + step * 0.15
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{12 + plot_h - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}"><title>{escape(name)}: {value:g}</title></rect>'
        )
        if i % max(1, len(points) // 6) == 0:
            body.append(
                f'<text class="tick" x="{x + step * 0.35:.1f}" y="{height - bottom + 20}" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    return _svg(height, body, label)


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, int]]], keys: Sequence[str], label: str
) -> Markup:
    """Horizontal stacked bars: one row per label, one segment per key (class `seg-<key>`)."""
    if not rows:
        return Markup('<p class="muted">No data yet.</p>')
    row_h, left, legend_h = 24, 210, 26
    top = max(max(sum(r.values()) for _, r in rows), 1)
    height = legend_h + row_h * len(rows) + 8
    body = []
    for j, key in enumerate(keys):
        x = left + j * 120
        body.append(
            f'<rect class="seg-{escape(key)}" x="{x}" y="6" width="12" height="12" rx="2"/>'
        )
        body.append(f'<text class="tick" x="{x + 18}" y="16">{escape(key)}</text>')
    for i, (name, counts) in enumerate(rows):
        y = legend_h + i * row_h
        body.append(
            f'<text class="label" x="{left - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(name)}</text>"
        )
        x = float(left)
        for key in keys:
            n = counts.get(key, 0)
            if not n:
                continue
            w = (_W - left - 40) * n / top
            body.append(
                f'<rect class="seg-{escape(key)}" x="{x:.1f}" y="{y + 3}" '
                f'width="{w:.1f}" height="{row_h - 8}">'
                f"<title>{escape(name)} {escape(key)}: {n}</title></rect>"
            )
            x += w
        body.append(
            f'<text class="tick" x="{x + 6:.1f}" y="{y + 15}">{sum(counts.values())}</text>'
        )
    return _svg(height, body, label)


def rate_bars(rows: Sequence[tuple[str, float, int]], label: str) -> Markup:
    """Horizontal bars of a rate in 0..1 per label, annotated with the count behind it."""
    if not rows:
        return Markup('<p class="muted">No decisions yet.</p>')
    row_h, left = 24, 210
    height = row_h * len(rows) + 10
    body = []
    for i, (name, rate, n) in enumerate(rows):
        y = 4 + i * row_h
        w = (_W - left - 90) * max(0.0, min(1.0, rate))
        body.append(
            f'<text class="label" x="{left - 8}" y="{y + 15}" text-anchor="end">'
            f"{escape(name)}</text>"
        )
        body.append(
            f'<rect class="track" x="{left}" y="{y + 3}" '
            f'width="{_W - left - 90}" height="{row_h - 8}"/>'
        )
        body.append(
            f'<rect class="bar warn" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}">'
            f"<title>{escape(name)}: {rate:.0%} of {n}</title></rect>"
        )
        body.append(f'<text class="tick" x="{_W - 84}" y="{y + 15}">{rate:.0%} of {n}</text>')
    return _svg(height, body, label)
