"""Throughput and memory benchmarks (``make bench``); results under benchmarks/results/."""
