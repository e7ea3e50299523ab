"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, readable when printed."""

from markupsafe import Markup, escape

ROW, LABEL_W, BAR_W, PAD = 26, 260, 320, 8


def _bar_color(rate: float | None, target: float) -> str:
    if rate is None:
        return "#9aa0a6"
    return "#1b7f3b" if rate >= target else ("#c77700" if rate >= target - 0.15 else "#b3261e")


def rate_bars(rows: list[dict], title: str, target: float = 0.8, limit: int = 15) -> Markup:
    """Horizontal bars of ``on_time_rate`` (0–1) per row, with the count of decided cases; a target line."""
    rows = rows[:limit]
    height = PAD * 2 + ROW * max(len(rows), 1) + 18
    width = LABEL_W + BAR_W + 110
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, r in enumerate(rows):
        y = PAD + i * ROW
        rate = r.get("on_time_rate")
        w = round(BAR_W * (rate or 0))
        pct = "–" if rate is None else f"{rate * 100:.0f}%"
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 17}" text-anchor="end" font-size="13">'
                     f'{escape(str(r.get("name") or r.get("code") or "-")[:40])}</text>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="{ROW - 8}" fill="#eceff1"/>')
        parts.append(f'<rect x="{LABEL_W}" y="{y + 4}" width="{w}" height="{ROW - 8}" '
                     f'fill="{_bar_color(rate, target)}"/>')
        parts.append(f'<text x="{LABEL_W + BAR_W + 6}" y="{y + 17}" font-size="13">{pct} '
                     f'({r.get("on_time", 0)}/{r.get("decided", 0)})</text>')
    tx = LABEL_W + round(BAR_W * target)
    parts.append(f'<line x1="{tx}" y1="{PAD}" x2="{tx}" y2="{height - 18}" stroke="#333" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{tx}" y="{height - 4}" text-anchor="middle" font-size="11">{target * 100:.0f}%</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def count_columns(items: list[tuple[str, int]], title: str) -> Markup:
    """Vertical columns of counts (the backlog by age)."""
    col, gap, chart_h = 70, 18, 160
    width = PAD * 2 + (col + gap) * max(len(items), 1)
    height = chart_h + 50
    top = max((n for _, n in items), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, n) in enumerate(items):
        x = PAD + i * (col + gap)
        h = round(chart_h * n / top)
        fill = "#b3261e" if i == len(items) - 1 and n else "#3d5a80"
        parts.append(f'<rect x="{x}" y="{PAD + chart_h - h}" width="{col}" height="{h}" fill="{fill}"/>')
        parts.append(f'<text x="{x + col / 2}" y="{PAD + chart_h - h - 4}" text-anchor="middle" '
                     f'font-size="12">{n}</text>')
        parts.append(f'<text x="{x + col / 2}" y="{PAD + chart_h + 18}" text-anchor="middle" '
                     f'font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
