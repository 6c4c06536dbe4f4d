"""Models of advisers."""
