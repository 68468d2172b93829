"""Crossdock: the integration hub between Odoo and the logistics platforms around it."""

__version__ = "0.1.0"
