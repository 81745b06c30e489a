"""`gallery report`: the attendance report as one self-contained HTML page, and its CSV."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from ..records.attendance import read_attendance
from ..resources import resource
from .report import report_context, report_csv


def write_report(app: Flask, out: Path, lang: str | None = None) -> int:
    """Write the report page to `out` and its CSV beside it; return the figures drawn."""
    exhibition = app.extensions["gallery.site"].exhibition
    lang = lang or exhibition.default_language
    data = read_attendance(app.extensions["gallery.records"].engine)
    tz = exhibition.tz()
    context = {
        "lang": lang,
        "exhibition": exhibition,
        "report": report_context(data, exhibition, lang, tz),
        "zone": exhibition.timezone or "UTC",
        "style": (resource("static") / "css" / "report.css").read_text(encoding="utf-8"),
    }
    with app.test_request_context(f"/{lang}/"):
        app.update_template_context(context)
        html = app.jinja_env.get_template("report.html").render(context)
    out.write_text(html, encoding="utf-8")
    out.with_suffix(".csv").write_text(report_csv(data), encoding="utf-8")
    return len(context["report"]["figures"])
