"""The migrations describe the models exactly: a model change without its migration fails here, not on an
operator's machine."""

import io

from django.core.management import call_command


def test_every_model_change_has_its_migration(db):  # makemigrations reads the applied migrations
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when one is missing
    assert "No changes detected" in out.getvalue()
