"""Tests of vagval.web."""
