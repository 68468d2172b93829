"""A simulated carrier world for the demo and the tests: tracking scenarios rendered in each
provider's own webhook format and signed as that provider signs (`sender`), and the
providers' tracking APIs serving the same scenarios for polling (`api`)."""
