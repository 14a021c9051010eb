"""Benchmarks: each compares o2c with a named baseline in the same run."""
