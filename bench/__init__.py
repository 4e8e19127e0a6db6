"""Benchmarks of the gate against its peers, run in one process and one run."""
