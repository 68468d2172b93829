"""Simulators of the systems around Crossdock, for the demo, the tests and the benchmarks."""
