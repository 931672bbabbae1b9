"""Django for a bench script: the test settings on a fresh SQLite file, unless DATABASE_URL
names another database. Imported first by every script here (`python bench/<name>.py`)."""

import os
import sys
import tempfile
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

# whitenoise warns that STATIC_ROOT is not collected; the bench serves no static files.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()
