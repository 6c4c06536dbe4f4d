"""Tests of vagval.accounts."""
