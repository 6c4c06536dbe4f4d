"""Models of vagval.audit."""
