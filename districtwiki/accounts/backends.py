"""A second authentication backend that signs nobody in: it explains a refusal Django's model backend
cannot, because an inactive account looks to it like a wrong password."""

from django.contrib.auth.backends import BaseBackend

from . import approvals
from .models import User


class PendingApplicationBackend(BaseBackend):
    """Runs only when the model backend found no active account for these credentials. For the right
    password of an account waiting for approval it raises ApplicationPending, which the sign-in view shows
    like any InvalidLogin. The password is checked only for a waiting account, so nothing here costs a
    hash for anyone else."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User.objects.filter(username=username, is_active=False).first()
        if user is not None and approvals.is_waiting(user) and user.check_password(password):
            raise approvals.ApplicationPending()
        return None
