"""Where a command may write its ``--output``: the checks ``export``, ``report`` and ``release`` share."""

from __future__ import annotations

import stat
from pathlib import Path


class OutputRefused(ValueError):
    """``--output`` (or a file in it) names something the command must not write."""


def check_output_dir(output: Path) -> None:
    """``output`` must be a directory, or missing under an existing parent (never created)."""
    try:
        info = output.lstat()
    except FileNotFoundError:
        if not output.parent.is_dir():
            raise OutputRefused(
                f"directory {output.parent} does not exist (it is not created)"
            ) from None
        return
    if not stat.S_ISDIR(info.st_mode):
        kind = "a symbolic link" if stat.S_ISLNK(info.st_mode) else "not a directory"
        raise OutputRefused(f"{output} is {kind}; give a directory")
