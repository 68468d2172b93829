"""Resilience toward partners: circuit breakers, rate limits and bulkheads shared by all workers.

A job names the partner endpoint it calls (`JobSpec.resource`, e.g. `odoo:erp`); the queue
asks this package at fetch time whether that endpoint may be called now, and tells it how
each call ended. State lives in the database (`resource_states`), so every worker on it
sees the same breaker and draws from the same token bucket.
"""
