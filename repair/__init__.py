"""repair: find and fix the damage machine translation and web scraping leave in text."""

__version__ = "0.1.0"
