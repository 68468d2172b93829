"""Durable state: schema, engine, migrations and the repositories over them."""
