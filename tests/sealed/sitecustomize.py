"""Loaded by every Python process a test starts (this folder is on its PYTHONPATH)."""

import os

if os.environ.get("SNHR_NETWORK_SEAL") == "1":
    import network_seal

    network_seal.install()
