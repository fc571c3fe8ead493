"""Facilitate's performance benchmarks: see run.py and docs/performance.md."""
