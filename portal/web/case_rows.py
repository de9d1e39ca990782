"""The rows of every staff case list (staff/_case_table.html), written in Python.

A 50-row list rendered through Jinja cost ~6 ms of CPU: each row is ~40 template pieces, each
yielded, escaped and joined on its own. Here the parts every row repeats (the data-labels a
phone shows beside each value, the tags, the case link) are escaped and written into one row
pattern once per page, and a row fills in only its own values, each escaped once. The markup
is the table's, cell for cell; tests/test_case_rows.py holds it.
"""

from markupsafe import Markup, escape

from models import Channel, Kind, Status
from models.deadlines import deadline_mark
from models.i18n import N_
from portal.web.templating import fixed_label, format_day, page_labels, url_template

# {{ and }} are literal braces of str.format; every value is escaped before it goes in.
_ROW = (
    '<tr class="{mark}">'
    '<td data-label="{l_number}" class="mono"><a href="{href}">{number}</a></td>'
    '<td data-label="{l_title}">{title}</td>'
    '<td data-label="{l_kind}">{kind}</td>'
    '<td data-label="{l_channel}">{channel}</td>'
    '<td data-label="{l_unit}">{unit}</td>'
    '<td data-label="{l_status}">{status}</td>'
    '<td class="deadline" data-label="{l_due}">{due}{tag}</td>'
    "</tr>\n"
)
_PAGE_PARTS = ("l_number", "l_title", "l_kind", "l_channel", "l_unit", "l_status", "l_due")
_ROW_PARTS = ("mark", "href", "number", "title", "kind", "channel", "unit", "status", "due",
              "tag")


def _pattern(row, row_parts, page_labels_):
    """``row`` with this page's column labels written in; the row's own fields
    (``row_parts``) stay as {name} holes."""
    holes = {name: "{" + name + "}" for name in row_parts}
    # A brace in a translation would otherwise open a hole of its own at the second format.
    written = {name: str(escape(text)).replace("{", "{{").replace("}", "}}")
               for name, text in page_labels_.items()}
    return row.format(**holes, **written)


def case_rows(cases, *, columns, tags, unit_names, today, soon, empty):
    """<tr> rows of ``cases`` (rows of ROW_COLUMNS, or cases): ``columns`` maps the seven
    column keys of _PAGE_PARTS to their translated headings, ``tags`` holds the overdue and
    due-soon tags' words, ``empty`` the one-row text when there are no cases."""
    if not cases:
        return Markup('<tr><td colspan="7">{}</td></tr>').format(empty)
    pattern = _pattern(_ROW, _ROW_PARTS, dict(zip(_PAGE_PARTS, columns, strict=True)))
    labels, href = page_labels(), url_template("staff.case", "case_id")
    tag_html = {
        "overdue": f' <strong class="tag overdue">{escape(tags[0])}</strong>',
        "due-soon": f' <strong class="tag due-soon">{escape(tags[1])}</strong>',
        "": "",
    }
    # Labels and unit names are few and repeat on every row: each is escaped once a page.
    kind, channel, status = ({v: escape(labels[name][v]) for v in table}
                             for name, table in (("kind", Kind), ("channel", Channel),
                                                 ("status", Status)))
    units = {uid: escape(name) for uid, name in unit_names.items()}
    no_unit = "—"
    out = []
    for c in cases:
        mark = deadline_mark(c.status, c.due_on, today, soon)
        out.append(pattern.format(
            mark=mark,
            href=escape(href(c.id)),
            number=escape(c.number),
            title=escape(c.title),
            kind=kind.get(c.kind, ""),  # a value outside the tables: an empty cell, as before
            channel=channel.get(c.channel, ""),
            unit=units.get(c.unit_id, no_unit),
            status=status[c.status],
            due=format_day(c.due_on),  # digits and dashes only
            tag=tag_html[mark],
        ))
    return Markup("".join(out))  # noqa: S704  # nosec B704  (every value above went through escape)


_EXTENSION_ROW = (
    '<tr><td data-label="{l_number}" class="mono"><a href="{href}">{number}</a></td>'
    '<td data-label="{l_title}">{title}</td>'
    '<td data-label="{l_unit}">{unit}</td>'
    '<td class="deadline" data-label="{l_due}">{due}</td>'
    '<td data-label="{l_days}">{days}</td></tr>\n'
)


def extension_rows(cases, *, columns, unit_names):
    """<tr> rows of the pending extension requests on triage (staff/triage.html), the same way
    as ``case_rows``: ``columns`` holds the number, title, unit, deadline and requested-days
    headings."""
    days = fixed_label(N_("%(n)d 个工作日"))
    pattern = _pattern(_EXTENSION_ROW, ("href", "number", "title", "unit", "due", "days"),
                       dict(zip(("l_number", "l_title", "l_unit", "l_due", "l_days"), columns,
                                strict=True)))
    href = url_template("staff.case", "case_id")
    units = {uid: escape(name) for uid, name in unit_names.items()}
    return Markup("".join(  # noqa: S704  # nosec B704  (every value went through escape)
        pattern.format(href=escape(href(c.id)), number=escape(c.number), title=escape(c.title),
                       unit=units.get(c.unit_id, "—"), due=format_day(c.due_on),
                       days=escape(days % {"n": c.extension_days_requested or 0}))
        for c in cases))
