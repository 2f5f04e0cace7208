"""Errors this project raises on purpose."""


class SnhrCrawlerError(Exception):
    """Base class: an error with a message meant for the person running the crawl."""


class SpiderArgumentError(SnhrCrawlerError, ValueError):
    """A bad ``-a name=value`` spider argument.

    Raised by ``NewsSpider.from_crawler`` (and checked earlier by the ``crawl``
    command so the user sees one line, not a traceback).
    """

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"argument {argument}: {message}")
        self.argument = argument


class SettingError(SnhrCrawlerError, ValueError):
    """A setting whose value cannot be used (``BOUND_*``, ``PENDING_*``), named in one line.

    Raised when a crawl starts (``snhr_crawler.bounds.Bounds.from_settings``),
    and checked earlier by the ``crawl`` commands, like a bad spider argument.
    """

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"setting {setting}: {message}")
        self.setting = setting
