"""Tests of vagval.consent."""
