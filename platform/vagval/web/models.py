"""Models of vagval.web."""
