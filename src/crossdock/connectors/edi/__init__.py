"""Electronic data interchange with suppliers and logistics partners (X12 today)."""
