"""Extraction: a pure function of (decoded HTML, URL, site profile) -> Article.

No Scrapy and no ``archive`` imports here, so it runs in worker processes, in
tests on stored pages, and over the WARC archive.
"""

from .article import ARTICLE_COLUMNS, Article
from .page import ExtractResult, extract_article
from .site import SiteProfile, load_sites

__all__ = ["ARTICLE_COLUMNS", "Article", "ExtractResult", "SiteProfile", "extract_article", "load_sites"]
