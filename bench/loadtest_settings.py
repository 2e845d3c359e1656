"""Settings of the load test's server: Styra's own, with the bench's URL conf (a trivial
view beside the product's pages; nothing of this is in the product)."""

from styra.settings import *  # noqa: F403

ROOT_URLCONF = "bench.loadtest_urls"
