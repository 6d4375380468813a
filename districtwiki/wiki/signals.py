"""Signals other apps listen to, sent by the wiki's actions inside the writing transaction."""

from django.dispatch import Signal

# Sent after a revision is written: page, revision, author, created (bool).
revision_saved = Signal()
