"""Business flows: small state machines keyed by a correlation id, fed by routed events."""
