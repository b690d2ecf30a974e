"""The Scrapy project of calcio-archive: spiders decide what to fetch."""
