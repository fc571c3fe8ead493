"""Helpers for the test suite: real databases, real server processes, a real browser."""
