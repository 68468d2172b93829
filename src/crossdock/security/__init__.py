"""Signatures, secret references and redaction."""
