"""Benchmarks: each bench_*.py module has a main(argv) and is run by `python -m tests.benchmarks`."""
