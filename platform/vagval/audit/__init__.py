"""Audit log of every access to someone else's personal data."""
