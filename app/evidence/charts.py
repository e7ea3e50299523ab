"""Small SVG charts drawn on the server (no JavaScript, no CDN): they print in the PDF and show on the page."""

from markupsafe import Markup, escape

FONT = "Garuda, Loma, Waree, sans-serif"


def bar_chart(items: list[tuple[str, float]], title: str, *, width: int = 640, unit: str = "",
              percent: bool = False) -> Markup:
    """Horizontal bars, one per ``(label, value)``, largest scale at the longest bar."""
    bar_h, gap, label_w, top = 18, 6, 220, 28
    height = top + len(items) * (bar_h + gap) + 8
    peak = max((v for _, v in items), default=0) or 1
    room = width - label_w - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" font-family="{FONT}" font-size="12">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(1, round(room * value / peak)) if value else 0
        shown = f"{value * 100:.1f}%" if percent else f"{value:,.0f}{unit}" if float(value).is_integer() \
            else f"{value:,.2f}{unit}"
        parts += [f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(str(label)[:40])}</text>',
                  f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#1f5f99"/>',
                  f'<text x="{label_w + w + 4}" y="{y + 13}">{escape(shown)}</text>']
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(items: list[tuple[str, float]], title: str, *, width: int = 640, height: int = 220) -> Markup:
    """Vertical columns over time (e.g. cases per month)."""
    top, bottom, left = 28, 36, 40
    peak = max((v for _, v in items), default=0) or 1
    n = max(len(items), 1)
    slot = (width - left - 10) / n
    plot_h = height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="{escape(title)}" font-family="{FONT}" font-size="11">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#555"/>']
    for i, (label, value) in enumerate(items):
        h = round(plot_h * value / peak)
        x = left + i * slot + slot * 0.15
        parts += [f'<rect x="{x:.1f}" y="{top + plot_h - h}" width="{slot * 0.7:.1f}" height="{h}" fill="#2e8b57"/>',
                  f'<text x="{x + slot * 0.35:.1f}" y="{top + plot_h - h - 3}" text-anchor="middle">'
                  f'{value:,.0f}</text>',
                  f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
                  f'{escape(str(label))}</text>']
    parts.append("</svg>")
    return Markup("".join(parts))


def summary_charts(summary: dict, names: dict) -> list[Markup]:
    """The report's standard charts, labels translated through ``names`` (code → Thai name)."""
    def named(d: dict, kind: str) -> list[tuple[str, float]]:
        return [(names.get(kind, {}).get(k, k), v) for k, v in list(d.items())[:12]]

    shares = [(label, summary[key]["share"] or 0) for key, label in (
        ("acknowledged_on_time", "รับทราบทันเวลา"), ("told_within_15_days", "แจ้งผู้ร้องภายใน 15 วัน"),
        ("resolved_within_manual_time", "แล้วเสร็จตามคู่มือ"))]
    return [
        bar_chart(shares, "สัดส่วนที่ทำได้ตามมาตรฐาน", percent=True),
        column_chart([(f"{m[5:]}/{(int(m[:4]) + 543) % 100:02d}", v) for m, v in summary["by_month"].items()],
                     "จำนวนเรื่องรายเดือน (เดือน/ปี พ.ศ.)"),
        bar_chart(named(summary["by_channel"], "channel"), "จำนวนเรื่องตามช่องทาง"),
        bar_chart(named(summary["by_category"], "category"), "จำนวนเรื่องตามประเภท"),
        bar_chart(list(summary["backlog"]["by_age_days"].items()), "เรื่องค้างดำเนินการตามอายุ (วัน)"),
    ]
