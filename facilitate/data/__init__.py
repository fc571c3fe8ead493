"""Data files the app reads: stop-word lists per language."""
