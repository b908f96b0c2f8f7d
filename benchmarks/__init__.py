"""Benchmarks of spikestats against Elephant; run with ``python -m benchmarks.run``."""
