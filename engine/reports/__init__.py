"""Reports computed from case data: the SLA dashboard's figures, the annual report and its download formats.

What code outside ``engine.reports`` may use; inside the engine, modules import the sibling modules directly.
"""

from engine.reports.annual import annual_report
from engine.reports.dashboard import sla_dashboard
from engine.reports.render import FORMATS, MEDIA_TYPES
from engine.reports.render import render as render_report

__all__ = ["FORMATS", "MEDIA_TYPES", "annual_report", "render_report", "sla_dashboard"]
