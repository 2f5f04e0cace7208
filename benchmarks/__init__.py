"""The benchmark of snhr_crawler (``python -m benchmarks.run``); not part of ``make test``."""
