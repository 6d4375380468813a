"""Forms of invitation and approval: the addresses to invite, and the sign-up form in its invited and
applying variants (the same fields and checks as SignupForm)."""

from django import forms

from . import approvals, invitations
from .forms import SignupForm

# Room for MAX_PER_SUBMISSION full-length addresses and their separators; more is refused before parsing.
ADDRESSES_LENGTH = invitations.MAX_PER_SUBMISSION * (invitations.ADDRESS_LENGTH + 2)


class InvitationForm(forms.Form):
    addresses = forms.CharField(
        label="E-mail addresses",
        max_length=ADDRESSES_LENGTH,
        help_text=(
            f"One or more addresses, separated by commas or on separate lines; at most "
            f"{invitations.MAX_PER_SUBMISSION} at a time."
        ),
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off", "spellcheck": "false"}),
    )


class InvitedSignupForm(SignupForm):
    """The invited address is shown and fixed: a disabled field ignores whatever is posted for it."""

    def __init__(self, invitation, *args, **kwargs):
        super().__init__(*args, initial={"email": invitation.email}, **kwargs)
        email = self.fields["email"]
        email.disabled = True
        email.help_text = "The address you were invited at. Opening the link confirmed it."


class ApplicationForm(SignupForm):
    note = forms.CharField(
        label="Who you are",
        max_length=approvals.NOTE_LENGTH,
        help_text=(
            "Your role and district, and why you would like to join: only the people who approve sign-ups "
            "read this."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
