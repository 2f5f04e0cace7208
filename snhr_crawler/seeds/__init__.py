"""Seeds shipped with the package: ``<name>.txt``, the start listings of a source.

One URL per line, public URLs (the ``origin`` argument maps them to a local
copy), ``#`` comments allowed. A site descriptor names its file
(``SiteDescriptor.seeds``); see docs/adding-a-spider.md.
"""
