"""Charts drawn on the server as SVG: no script, no CDN, readable without colour."""

from markupsafe import Markup, escape

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 22, 8, 190, 640


def bar_chart(rows, title, maximum=100.0, unit="%"):
    """Horizontal bars; ``rows`` are (label, value or None). None draws 'withheld'."""
    height = len(rows) * (BAR_HEIGHT + GAP) + 30
    span = WIDTH - LABEL_WIDTH - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = 20 + index * (BAR_HEIGHT + GAP)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" '
                     f'font-size="13">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_WIDTH}" y="{y + 16}" font-size="12" '
                         f'fill="#5b6775">—</text>')
            continue
        length = max(1.0, span * min(value, maximum) / maximum)
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" '
                     f'height="{BAR_HEIGHT}" fill="#a4161a"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}" '
                     f'font-size="13">{value:.1f}{escape(unit)}</text>')
    parts.append("</svg>")
    # Reviewed: every label above is escaped.
    return Markup("".join(parts))  # noqa: S704  # nosec B704
