"""Scrapy settings for calcio-archive.

Project settings are prefixed ``ARCHIVE_``, declared here once with a comment, and
listed in the README (a test checks both). Everything else is Scrapy's own setting,
set to a polite and safe value for unattended runs.
"""

from pathlib import Path

BOT_NAME = "calcio-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"

# --- calcio-archive settings --------------------------------------------------------
# The SQLite archive.
ARCHIVE_DB = "data/calcio.db"
# Where WARC files of the raw pages go.
ARCHIVE_WARC_DIR = "data/warc"
# WARC files are rotated when they reach this size (bytes).
ARCHIVE_WARC_MAX_BYTES = 1024 * 1024 * 1024
# Archived articles published less than this many hours ago are re-checked on every run
# (conditional GET); older ones only when a sitemap or feed says they changed.
ARCHIVE_REFRESH_HOURS = 48
# The sites list crawled by default (TOML, [[site]] tables); `-a sites=PATH` overrides it.
ARCHIVE_SITES = str(Path(__file__).with_name("sites.toml"))
# How many HTML link hops away from a home, section, sitemap or feed entry the spider follows.
ARCHIVE_LINK_DEPTH = 2
# Cap on article pages requested per site in one run (newest first from sitemaps and feeds).
ARCHIVE_MAX_ARTICLES_PER_SITE = 300
# Cap on discovery pages (home, sections, sitemaps, feeds) requested per site in one run.
ARCHIVE_MAX_DISCOVERY_PER_SITE = 60
# Pages of one paginated section (page 1 included) followed in one run, within the cap above.
ARCHIVE_MAX_SECTION_PAGES = 10
# Extraction worker processes (0 = one per CPU core); trafilatura is not thread-safe.
ARCHIVE_EXTRACT_WORKERS = 0
# Seconds one page's extraction may take before it is recorded as failed (reason "timeout").
ARCHIVE_EXTRACT_TIMEOUT = 30
# Longest Retry-After (seconds) the crawl waits out before retrying; longer ones are left for the next run.
ARCHIVE_RETRY_AFTER_MAX = 60
# Seconds a write waits for a locked database before it gives up.
ARCHIVE_BUSY_TIMEOUT = 10
# Pages written to the archive in one transaction (each page all or nothing within it).
ARCHIVE_WRITE_BATCH = 100
# Longest wait (seconds) of a page for its transaction: pending pages are written at least this often.
ARCHIVE_WRITE_INTERVAL = 2.0
# Site health alarm (exit status 5): a site's share of articles with author, date, section or
# tags falling by this much (0-1) against its recent runs, or its refused/blocked share rising by it.
ARCHIVE_HEALTH_DROP = 0.3
# Redis URL of a shared frontier (redis://HOST:6379/0): the crawl runs as a worker, its
# results go to Redis for `calcio-archive ingest`; empty: a plain crawl into ARCHIVE_DB.
ARCHIVE_FRONTIER = ""
# Seconds a worker may stay silent before the requests it took are given to the others.
ARCHIVE_FRONTIER_LEASE = 60

# --- politeness ---------------------------------------------------------------------
USER_AGENT = "calcio-archive/0.1 (+https://github.com/calcio-archive/calcio-archive; news archive bot)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_ITEMS = 8

# --- limits (Scrapy's defaults are not enough for unattended runs) --------------------
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
DEPTH_LIMIT = 8
URLLENGTH_LIMIT = 2083
MEMUSAGE_ENABLED = True
MEMUSAGE_LIMIT_MB = 2048
MEMUSAGE_WARNING_MB = 1024
CLOSESPIDER_ERRORCOUNT = 500

# --- safety -------------------------------------------------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
DOWNLOAD_VERIFY_CERTIFICATES = True
# ...except for a site whose entry says verify_certificates = false (crawler/tls.py)
DOWNLOAD_HANDLERS = {"https": "crawler.tls.PerSiteTLSHandler", "file": None, "data": None, "ftp": None, "s3": None}
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
# host names resolving to loopback/private/link-local/multicast addresses are refused
TWISTED_DNS_RESOLVER = "crawler.resolver.PublicAddressResolver"

DOWNLOADER_MIDDLEWARES = {
    # robots.txt answering 5xx or unreachable means "disallow all for now" (RFC 9309)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.StrictRobotsTxtMiddleware": 100,
    # only the configured sites' origins are ever requested, redirects included
    "crawler.middlewares.SiteScopeMiddleware": 50,
    # retries that honour Retry-After (429/503)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # a redirect to a variant of the same page (trailing slash, https) is followed, not deduplicated
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.SamePageRedirectMiddleware": 600,
    # raw pages to WARC, after decompression (process_response runs from high to low)
    "crawler.middlewares.WarcMiddleware": 585,
    # the bytes beat a wrong charset header
    "crawler.middlewares.BodyEncodingMiddleware": 580,
}
# ARCHIVE_FRONTIER set: scrapy-redis scheduler, results to Redis, per-site slots shared in Redis
ADDONS = {"crawler.addons.FrontierAddon": 0}
REQUEST_FINGERPRINTER_CLASS = "crawler.fingerprint.CanonicalFingerprinter"

# the per-site summary at the end of every crawl; unreachable hosts in one line each
EXTENSIONS = {"crawler.summary.CrawlSummary": 500}

ITEM_PIPELINES = {
    "crawler.pipelines.extract.ExtractPipeline": 300,
    "crawler.pipelines.store.ArchivePipeline": 800,
}

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
