"""The project's settings with ``changed_spiders`` as the only spider module (for the CLI test)."""

from snhr_crawler.settings import *  # noqa: F403

SPIDER_MODULES = ["tests.reparse.changed_spiders"]
