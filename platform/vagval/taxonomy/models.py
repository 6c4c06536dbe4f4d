"""Models of vagval.taxonomy."""
