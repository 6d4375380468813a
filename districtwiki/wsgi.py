import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "districtwiki.settings")
django_application = get_wsgi_application()

from districtwiki.timebudget import TimeBudgetApplication  # noqa: E402  (needs the settings above)
from districtwiki.wiki.pagecache import PageCacheApplication  # noqa: E402

# Anonymous page views found in the page cache are answered before Django's handler runs; every request,
# those included, is stopped with a 503 if it runs past REQUEST_TIME_LIMIT seconds.
application = TimeBudgetApplication(PageCacheApplication(django_application), settings.REQUEST_TIME_LIMIT)
