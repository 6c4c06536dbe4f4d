"""WSGI entry point (gunicorn vagval.config.wsgi)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vagval.config.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
