"""EDI suppliers: onboarding settings, the file pickup into the inbox, translation of their
interchanges, acknowledgements both ways and purchase orders out."""

from crossdock.connectors.edi.partner.connector import CONNECTOR

__all__ = ["CONNECTOR"]
