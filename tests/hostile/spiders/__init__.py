"""The hostile suite's test-only source (joins SPIDER_MODULES for those crawls only)."""
