"""Inline SVG charts of the annual report (no JavaScript): bars by key, columns by month, SLA met vs breached."""

from html import escape

FONT = "Noto Sans CJK SC, Noto Serif CJK SC, sans-serif"
BLUE, GREEN, RED, GREY = "#3b6ea5", "#4a9a5b", "#c0392b", "#b8b8b8"


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
            f'font-family="{FONT}" font-size="11">' + "".join(body) + "</svg>")


def _text(x: float, y: float, s, anchor: str = "start", size: int = 11, fill: str = "#222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}">{escape(str(s))}</text>')


def bars(label: str, rows: dict[str, int], width: int = 440) -> str:
    """Horizontal bars, one per key, with the count at the bar's end."""
    items = list(rows.items()) or [("（无）", 0)]
    row_h, left, right = 20, 120, 50
    height = row_h * len(items) + 10
    top = max(v for _, v in items) or 1
    body = []
    for i, (k, v) in enumerate(items):
        y = 5 + i * row_h
        w = (width - left - right) * v / top
        body.append(_text(left - 6, y + 14, k, "end"))
        body.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" fill="{BLUE}"/>')
        body.append(_text(left + w + 4, y + 14, v))
    return _svg(width, height, body, label)


def columns(label: str, rows: dict[str, int], width: int = 440, height: int = 200) -> str:
    """Vertical columns (e.g. by month), key below, count above each column."""
    items = list(rows.items()) or [("（无）", 0)]
    bottom, top_pad = 24, 18
    top = max(v for _, v in items) or 1
    slot = width / len(items)
    body = [f'<line x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#888"/>']
    for i, (k, v) in enumerate(items):
        h = (height - bottom - top_pad) * v / top
        x = i * slot + slot * 0.15
        y = height - bottom - h
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{BLUE}"/>')
        body.append(_text(x + slot * 0.35, y - 4, v, "middle", 10))
        body.append(_text(x + slot * 0.35, height - 8, k, "middle", 10))
    return _svg(width, height, body, label)


def sla(label: str, stages: list[tuple[str, int, int, int]], width: int = 440) -> str:
    """Per stage one bar split into met (green), breached (red) and still running (grey), with a legend."""
    items = stages or [("（无）", 0, 0, 0)]
    row_h, left, right, legend = 22, 150, 90, 22
    height = legend + row_h * len(items) + 6
    top = max(d for _, d, _, _ in items) or 1
    span = width - left - right
    body = []
    for j, (name, color) in enumerate((("按期", GREEN), ("超期", RED), ("未到期/进行中", GREY))):
        x = left + j * 90
        body.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{color}"/>')
        body.append(_text(x + 14, 13, name, size=10))
    for i, (name, total, met, breached) in enumerate(items):
        y = legend + i * row_h
        body.append(_text(left - 6, y + 15, name, "end"))
        x = float(left)
        for part, color in ((met, GREEN), (breached, RED), (total - met - breached, GREY)):
            w = span * part / top
            if w > 0:
                body.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{color}"/>')
            x += w
        body.append(_text(x + 4, y + 15, f"{met}/{breached}/{total}", size=10))
    return _svg(width, height, body, label)
