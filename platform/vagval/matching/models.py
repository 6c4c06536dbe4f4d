"""Models of vagval.matching."""
