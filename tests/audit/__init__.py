"""Tests of vagval.audit."""
