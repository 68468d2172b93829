"""Business monitors: store queries on a schedule, alerts raised and resolved once each."""
