"""Models of vagval.consent."""
