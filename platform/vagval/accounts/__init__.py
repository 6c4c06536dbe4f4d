"""Users, roles and member companies."""
