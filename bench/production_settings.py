"""The production settings, unchanged but for STATIC_ROOT: the benchmark collects into its own folder."""

import os

from entraide.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
