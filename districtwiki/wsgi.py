import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
django_application = get_wsgi_application()

from districtwiki.wiki.pagecache import PageCacheApplication  # noqa: E402  (needs the settings above)

# Anonymous page views found in the page cache are answered before Django's handler runs.
application = PageCacheApplication(django_application)
