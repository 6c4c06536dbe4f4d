"""Consent ledger, data export and erasure."""
