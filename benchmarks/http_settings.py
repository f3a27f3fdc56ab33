"""Settings of benchmarks/http_budget.py's server: the product's own (read from the same
environment: DJANGO_ENV=production, DEBUG off), with a URLconf that adds the yardstick.
The product's URLs never carry it."""

from liaison.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.http_urls"
# Its cache entries and rate counters apart from anything else on the same Redis.
CACHES["default"]["KEY_PREFIX"] = "http-budget"  # noqa: F405
