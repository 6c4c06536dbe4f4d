"""Models of journey."""
