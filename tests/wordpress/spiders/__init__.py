"""Test-only sources: spiders the suite crawls against its own servers (SPIDER_MODULES)."""
