"""Load the benchmark corpus into django-wiki in one process: `python load_pages.py PAGES.json`.

PAGES.json is {"root_title", "root_text", "pages": [[slug, title, markdown], ...]}. Runs the migrations on an
empty database, creates the root article, then every page as a child of the root through
URLPath.create_urlpath (django-wiki's own API for a new article with its first revision), all in one
transaction. django-wiki searches its database directly, so there is no index to build.
"""

import json
import os
import sys
from pathlib import Path


def main(spec_file: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from wiki.models import URLPath

    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        root = URLPath.create_root(title=spec["root_title"], content=spec["root_text"])
        for slug, title, text in spec["pages"]:
            URLPath.create_urlpath(root, slug, title=title, content=text)


if __name__ == "__main__":
    main(sys.argv[1])
