"""Models of vagval.jobs."""
