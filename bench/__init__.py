"""Benchmarks with same-run baselines: `python -m bench.run --help`."""
