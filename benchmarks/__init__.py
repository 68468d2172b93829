"""Benchmarks for Crossdock's intake and job queue (run them as `python -m benchmarks.NAME`)."""
