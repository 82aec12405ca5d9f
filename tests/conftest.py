"""Suite-wide settings: Hypothesis explores new examples locally but is deterministic in CI."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
