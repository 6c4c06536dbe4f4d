"""Models of employers."""
