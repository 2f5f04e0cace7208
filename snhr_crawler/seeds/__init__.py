"""Seeds shipped with the package: ``<name>.txt``, the start listings of a source.

One URL per line, public URLs (the ``origin`` argument maps them to a local
copy), ``#`` comments allowed. A site descriptor names its file
(``SiteDescriptor.seeds``); see docs/adding-a-spider.md. The seeds are hints:
the listing walk starts from them, the home listing and the categories the
site itself shows (``snhr_crawler.discovery.listings``), and ``snhr-crawler
probe`` checks them against the live site.
"""
