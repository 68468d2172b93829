"""The HTTP API: webhook intake, health and readiness."""
