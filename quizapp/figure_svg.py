"""Write a `Figure` as a standalone SVG (for notes and slides): no plotting library needed.

Lines become polylines, scatter points circles, bars rectangles, a mask grid a heat map; axes
get five ticks each and a legend names every series. All text is XML-escaped (series labels
may come from deck files).
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from quizapp.figures import Figure

_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#17becf", "#bcbd22", "#7f7f7f")
W, H = 720, 480
LEFT, RIGHT, TOP, BOTTOM = 70, 200, 40, 60


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        return [lo]
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]


def _fmt(v: float) -> str:
    return f"{v:.3g}".replace("-", "−")


def to_svg(fig: Figure) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">',
        f'<rect width="{W}" height="{H}" fill="white"/>',
        f'<text x="{W / 2}" y="22" text-anchor="middle" font-size="15">{escape(fig.title)}</text>',
    ]
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    if fig.grid is not None:
        rows, cols = len(fig.grid), len(fig.grid[0]) if fig.grid else 0
        cw, ch = pw / max(cols, 1), ph / max(rows, 1)
        top = max((v for r in fig.grid for v in r), default=1.0) or 1.0
        for i, row in enumerate(fig.grid):
            for j, v in enumerate(row):
                shade = 255 - int(200 * v / top)
                out.append(
                    f'<rect x="{LEFT + j * cw:.2f}" y="{TOP + i * ch:.2f}" width="{cw:.2f}" '
                    f'height="{ch:.2f}" fill="rgb({shade},{shade},255)" stroke="white"/>'
                )
    else:
        xs = [x for s in fig.series for x in s.x] + [m.x for m in fig.markers]
        ys = [y for s in fig.series for y in s.y]
        xs = [x for x in xs if math.isfinite(x)] or [0.0, 1.0]
        ys = [y for y in ys if math.isfinite(y)] or [0.0, 1.0]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        if any(s.style == "bar" for s in fig.series):
            y0 = min(y0, 0.0)
        if x1 == x0:
            x0, x1 = x0 - 1, x1 + 1
        if y1 == y0:
            y0, y1 = y0 - 1, y1 + 1
        if fig.equal_axes:
            span = max(x1 - x0, y1 - y0)
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            scale = min(pw, ph)
            x0, x1 = cx - span * pw / scale / 2, cx + span * pw / scale / 2
            y0, y1 = cy - span * ph / scale / 2, cy + span * ph / scale / 2

        def sx(x: float) -> float:
            return LEFT + (x - x0) / (x1 - x0) * pw

        def sy(y: float) -> float:
            return TOP + ph - (y - y0) / (y1 - y0) * ph

        out.append(
            f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>'
        )
        for t in _ticks(x0, x1):
            out.append(
                f'<text x="{sx(t):.1f}" y="{TOP + ph + 16}" text-anchor="middle">{_fmt(t)}</text>'
            )
        for t in _ticks(y0, y1):
            out.append(
                f'<text x="{LEFT - 6}" y="{sy(t) + 4:.1f}" text-anchor="end">{_fmt(t)}</text>'
            )
        if fig.equal_axes and x0 < 0 < x1 and y0 < 0 < y1:
            out.append(
                f'<line x1="{sx(x0):.1f}" y1="{sy(0):.1f}" x2="{sx(x1):.1f}" y2="{sy(0):.1f}" '
                'stroke="#bbb"/>'
            )
            out.append(
                f'<line x1="{sx(0):.1f}" y1="{sy(y0):.1f}" x2="{sx(0):.1f}" y2="{sy(y1):.1f}" '
                'stroke="#bbb"/>'
            )
        for i, s in enumerate(fig.series):
            colour = _PALETTE[i % len(_PALETTE)]
            pts = [
                (sx(x), sy(y))
                for x, y in zip(s.x, s.y, strict=True)
                if math.isfinite(x) and math.isfinite(y)
            ]
            if s.style == "scatter":
                out.extend(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in pts
                )
            elif s.style == "bar":
                bw = max(pw / max(len(pts), 1) * 0.8, 1.0)
                out.extend(
                    f'<rect x="{x - bw / 2:.1f}" y="{min(y, sy(0)):.1f}" width="{bw:.1f}" '
                    f'height="{abs(sy(0) - y):.1f}" fill="{colour}" opacity="0.7"/>'
                    for x, y in pts
                )
            else:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
                out.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.8"/>'
                )
            ly = TOP + 14 + 18 * i
            out.append(
                f'<rect x="{W - RIGHT + 12}" y="{ly - 9}" width="12" height="10" fill="{colour}"/>'
            )
            out.append(f'<text x="{W - RIGHT + 30}" y="{ly}">{escape(s.label)}</text>')
        for k, m in enumerate(fig.markers):
            out.append(
                f'<line x1="{sx(m.x):.1f}" y1="{TOP}" x2="{sx(m.x):.1f}" y2="{TOP + ph}" '
                'stroke="#555" stroke-dasharray="4 3"/>'
            )
            out.append(
                f'<text x="{sx(m.x) + 3:.1f}" y="{TOP + 12 + 14 * k}">{escape(m.label)}</text>'
            )
        out.append(
            f'<text x="{LEFT + pw / 2}" y="{H - 28}" text-anchor="middle">'
            f"{escape(fig.xlabel)}</text>"
        )
        out.append(
            f'<text x="16" y="{TOP + ph / 2}" text-anchor="middle" '
            f'transform="rotate(-90 16 {TOP + ph / 2})">{escape(fig.ylabel)}</text>'
        )
    if fig.note:
        out.append(f'<text x="{LEFT}" y="{H - 8}" font-size="11">{escape(fig.note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
