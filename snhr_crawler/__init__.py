"""snhr_crawler: archives the public record of the Syrian Network for Human Rights."""

__version__ = "0.1.0"
