"""``make bench``: throughput and latency figures, each against a baseline from the same run."""
