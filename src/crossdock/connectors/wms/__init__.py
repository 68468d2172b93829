"""Warehouse management systems: connectors that take delivery orders and report execution."""
