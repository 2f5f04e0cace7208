"""The hostile-site suite: a loopback server playing broken and malicious sites and disks.

One scenario per case of the attack that found them (``cases.py``); each runs
the real spider, settings and pipelines (``tests.crawling``) against its own
loopback server (``server.py``) and asserts the outcome, the counter, the
archive state and ``verify``. Bounds are set small through settings
(``SMALL_BOUNDS``) so every case takes a fraction of a second.
"""
