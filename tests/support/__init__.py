"""Helpers shared by the tests: configs, servers as subprocesses, plugins."""
