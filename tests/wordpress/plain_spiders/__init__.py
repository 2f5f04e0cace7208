"""snhr_news read as a plain-WordPress site: the replica's plain theme, crawled by WordPressSpider."""
