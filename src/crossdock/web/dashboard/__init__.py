"""The control tower: a server-rendered dashboard for operators (see docs/operations.md)."""
