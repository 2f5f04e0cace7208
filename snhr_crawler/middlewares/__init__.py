"""Downloader middlewares that make the defaults safe for a small NGO's server."""
