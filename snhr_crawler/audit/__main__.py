"""``python -m snhr_crawler.audit``: the same as ``snhr-crawler audit``."""

from snhr_crawler.audit.command import main

raise SystemExit(main())
