"""Reports computed from case data: the SLA dashboard's figures, the report of a period (the annual report is
the report of a year) and its download formats.

What code outside ``engine.reports`` may use; inside the engine, modules import the sibling modules directly.
"""

from engine.reports.annual import annual_report, report
from engine.reports.dashboard import sla_dashboard
from engine.reports.period import Period, choose_period, parse_period, range_period, year_period
from engine.reports.render import FORMATS, MEDIA_TYPES, as_json
from engine.reports.render import render as render_report
from engine.reports.render_md import document

__all__ = ["FORMATS", "MEDIA_TYPES", "Period", "annual_report", "as_json", "choose_period", "document", "parse_period",
           "range_period", "render_report", "report", "sla_dashboard", "year_period"]
