"""WSGI entry point for servers: `gunicorn nuso.wsgi`. Settings come from the environment."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nuso.settings")
application = get_wsgi_application()
