"""Shared page layout, home page, language switch and health check."""
