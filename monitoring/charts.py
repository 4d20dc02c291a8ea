"""Charts drawn by the portal as SVG on the server: no script, no third-party host, nothing the
Content-Security-Policy has to allow. Each chart comes with the table of its figures, shown beside it
for screen readers and for copying; the SVG itself is an image with a title and a description."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

COLOURS = ("#0b5394", "#38761d", "#b45f06", "#674ea7")  # 4.5:1 or more against white
WIDTH, LABEL, BAR, GAP = 640, 190, 14, 10


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    description: str
    svg: SafeString
    headers: list[str]
    rows: list[list]


def _money(value: Decimal) -> str:
    value = Decimal(value or 0)
    if value >= 1_000_000:
        return f"{value / 1_000_000:,.1f} M"
    if value >= 1_000:
        return f"{value / 1_000:,.0f} k"
    return f"{value:,.0f}"


def bars(slug: str, title: str, description: str, labels: list[str], series: list[tuple[str, list]], *,
         maximum=None, unit: str = "", fmt=str) -> SafeString:  # fmt: skip
    """Horizontal bars: one group per label, one bar per series, scaled to the largest value."""
    values = [v for _name, vs in series for v in vs]
    top = Decimal(maximum if maximum is not None else max([Decimal(v or 0) for v in values] or [0])) or Decimal(1)
    group = len(series) * BAR + GAP
    legend = 22
    height = legend + len(labels) * group + GAP
    scale = Decimal(WIDTH - LABEL - 70) / top
    parts = [format_html('<text x="{}" y="14" font-size="12" fill="{}">{}</text>', LABEL + i * 150, COLOURS[i], name)
             for i, (name, _values) in enumerate(series)]  # fmt: skip
    for row, label in enumerate(labels):
        y = legend + row * group
        parts.append(format_html('<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212529">{}</text>',
                                 LABEL - 6, y + len(series) * BAR / 2 + 4, label))  # fmt: skip
        for i, (_name, values) in enumerate(series):
            value = Decimal(values[row] or 0)
            length = max(int(value * scale), 1 if value else 0)
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="11" fill="#212529">{}{}</text>',
                LABEL, y + i * BAR, length, BAR - 2, COLOURS[i % len(COLOURS)],
                LABEL + length + 4, y + i * BAR + BAR - 4, fmt(value), unit,
            ))  # fmt: skip
    return _svg(slug, title, description, height, mark_safe("".join(parts)))  # noqa: S308 (escaped above)


def line(slug: str, title: str, description: str, points: list[tuple[int, Decimal]], *, unit: str = "%") -> SafeString:
    """A line over the years, 0-100."""
    height, left, bottom, top = 220, 40, 190, 20
    if not points:
        return _svg(slug, title, description, 60, format_html(
            '<text x="10" y="30" font-size="12" fill="#212529">{}</text>', "No reports yet."))  # fmt: skip
    step = (WIDTH - left - 30) / max(len(points) - 1, 1)
    coords = [
        (left + i * step, bottom - float(value) * (bottom - top) / 100) for i, (_year, value) in enumerate(points)
    ]
    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6c757d"></line>', left, bottom,
                         WIDTH - 20, bottom)]  # fmt: skip
    for tick in (0, 50, 100):
        y = bottom - tick * (bottom - top) / 100
        parts.append(format_html('<text x="{}" y="{}" font-size="11" text-anchor="end" fill="#212529">{}{}</text>',
                                 left - 4, y + 4, tick, unit))  # fmt: skip
    parts.append(format_html('<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>',
                             " ".join(f"{x:.1f},{y:.1f}" for x, y in coords), COLOURS[0]))  # fmt: skip
    for (x, y), (year, value) in zip(coords, points, strict=True):
        parts.append(format_html(
            '<circle cx="{}" cy="{}" r="3" fill="{}"></circle>'
            '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#212529">{}</text>'
            '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#212529">{}{}</text>',
            f"{x:.1f}", f"{y:.1f}", COLOURS[0], f"{x:.1f}", bottom + 16, year, f"{x:.1f}", f"{y - 8:.1f}", value, unit,
        ))  # fmt: skip
    return _svg(slug, title, description, height, mark_safe("".join(parts)))  # noqa: S308 (escaped above)


def _svg(slug, title, description, height, body) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" class="chart"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        slug,
        slug,
        slug,
        title,
        slug,
        description,
        body,
    )


def rollup_charts(figures) -> list[Chart]:
    states = figures.by_member_state
    areas = figures.by_focus_area
    charts = [
        Chart(
            "cost-funding", "Cost and funding secured by member state (USD)",
            "Bars for each member state: total estimated cost of its projects, and the funding secured.",
            bars("cost-funding", "Cost and funding secured by member state (USD)", "Cost and funding secured.",
                 [g.label for g in states], [("Cost", [g.figures.cost for g in states]),
                                             ("Funding secured", [g.figures.funded for g in states])], fmt=_money),
            ["Member state", "Projects", "Cost (USD)", "Funding secured (USD)", "Gap (USD)"],
            [[g.label, g.figures.projects, g.figures.cost, g.figures.funded, g.figures.gap] for g in states],
        ),
        Chart(
            "percent-area", "Percent complete by focus area (weighted by cost)",
            "Bars for each focus area of the framework: the cost-weighted percent complete of its projects.",
            bars("percent-area", "Percent complete by focus area", "Cost-weighted percent complete.",
                 [g.label for g in areas], [("Percent complete", [g.figures.percent for g in areas])], maximum=100,
                 unit="%"),
            ["Focus area", "Projects", "Percent complete", "KPIs on track", "KPIs off track"],
            [[g.label, g.figures.projects, g.figures.percent, g.figures.kpis_on, g.figures.kpis_off] for g in areas],
        ),
        Chart(
            "trend", "Percent complete over the years",
            "A line through each year's cost-weighted percent complete of the projects that reported.",
            line("trend", "Percent complete over the years", "Cost-weighted percent complete by year.",
                 [(t.year, t.percent) for t in figures.trend]),
            ["Year", "Reports", "Percent complete", "Funding recorded (USD)"],
            [[t.year, t.reports, t.percent, t.funded] for t in figures.trend],
        ),
        Chart(
            "partnerships", "Partnerships by stage",
            "Bars for each stage of a partnership: how many partnerships on the year's projects are at it.",
            bars("partnerships", "Partnerships by stage", "Partnerships by stage.",
                 [label for _s, label, _n in figures.partnerships],
                 [("Partnerships", [n for _s, _l, n in figures.partnerships])]),
            ["Stage", "Partnerships"],
            [[label, n] for _s, label, n in figures.partnerships],
        ),
    ]  # fmt: skip
    return charts
