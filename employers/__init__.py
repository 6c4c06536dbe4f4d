"""The member-company (HR) portal."""
