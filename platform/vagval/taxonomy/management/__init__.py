"""Management commands of vagval.taxonomy."""
