"""Carrier connectors, one folder each."""
