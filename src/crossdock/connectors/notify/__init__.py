"""Outbound notifications: canonical events delivered to subscribed endpoints, signed."""
