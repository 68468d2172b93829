"""A simulated warehouse system (REST mode) for the demo, the tests and the benchmark."""
