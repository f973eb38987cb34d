"""The production settings, unchanged but for STATIC_ROOT: the browser suite collects into a temporary folder.

Run with DEBUG=0 (and a real-looking SECRET_KEY and ALLOWED_HOSTS), these are the settings the
Docker image serves with: whitenoise's CompressedManifestStaticFilesStorage and hashed file names.
"""

import os

from entraide.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BROWSER_STATIC_ROOT"]
