from django import forms

from .models import BIO_MAX_LENGTH, MAX_YEARS_IN_ROLE, MESSAGE_MAX_LENGTH, Profile, Visibility
from .states import STATE_CHOICES
from .timezones import zone_choices
from .visibility import PROFILE_FIELDS

MAX_TAGS = 15
TAG_MAX_LENGTH = 40
TAG_MIN_LENGTH = 2


def parse_tags(raw: str) -> list[str]:
    """Comma-separated areas of expertise, lower-cased and de-duplicated in the order given."""
    tags: list[str] = []
    for part in raw.split(","):
        tag = " ".join(part.split()).lower()
        if not tag or tag in tags:
            continue
        if not TAG_MIN_LENGTH <= len(tag) <= TAG_MAX_LENGTH:
            raise forms.ValidationError(
                f"Each area of expertise must be {TAG_MIN_LENGTH} to {TAG_MAX_LENGTH} characters long "
                f"(“{tag[:50]}” is not)."
            )
        if not tag.isprintable():
            raise forms.ValidationError("Areas of expertise can contain only printable characters.")
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise forms.ValidationError(f"List at most {MAX_TAGS} areas of expertise.")
    return tags


class NoColonForm(forms.Form):
    """Labels without Django's trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProfileForm(forms.ModelForm):
    """The whole profile: each field with its own visibility. A visibility left out of the POST keeps its
    current value, so a small form (such as the home page's role and size) never widens anything."""

    expertise = forms.CharField(
        required=False,
        label="Areas of expertise",
        help_text="Separate them with commas, such as: E-Rate, networking, Chromebooks.",
        max_length=MAX_TAGS * (TAG_MAX_LENGTH + 2),
    )
    years_in_role = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_YEARS_IN_ROLE, label="Years in this role"
    )
    time_zone = forms.ChoiceField(
        required=False,
        label="Your time zone",
        help_text="Event times are shown and entered in it, with the zone named. "
        "Leave it unset to follow your browser's. Only you see it.",
    )
    bio = forms.CharField(
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="About you",
        help_text=f"Markdown, up to {BIO_MAX_LENGTH:,} characters. [[Wiki links]] work.",
    )

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "role",
            "district_name",
            "district_size",
            "state",
            "years_in_role",
            "happy_to_answer",
            "bio",
            "list_on_state_page",
            "time_zone",
            *(f"{name}_visibility" for name in PROFILE_FIELDS),
        ]
        labels = {
            "display_name": "Display name",
            "role": "Your role",
            "district_name": "District name",
            "district_size": "Your district's size",
            "state": "State",
            "happy_to_answer": "I am happy to answer questions from other members",
            "list_on_state_page": "List me on my state's chapter page",
        }
        help_texts = {
            "display_name": "How other members see you named; your username is shown where it is hidden.",
            "role": "We use it to put the pages written for people in your position first.",
            "district_size": "Enrolment, roughly. Pages written for districts like yours come first.",
            "list_on_state_page": "Only visitors who may see your state see you there.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", "---------"), *STATE_CHOICES]
        self.fields["time_zone"].choices = [("", "Follow my browser"), *zone_choices()]
        for name in PROFILE_FIELDS:
            field = self.fields[f"{name}_visibility"]
            field.required = False
            field.label = f"Who sees your {VISIBILITY_NOUNS[name]}"
            field.choices = Visibility.choices
        if self.instance.pk and not self.is_bound:
            self.initial["expertise"] = ", ".join(tag.name for tag in self.instance.expertise.all())

    def clean_expertise(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("expertise") or "")

    def clean(self):
        cleaned = super().clean()
        for name in PROFILE_FIELDS:
            key = f"{name}_visibility"
            if key not in self.errors and not cleaned.get(key):
                cleaned[key] = getattr(self.instance, key)
        return cleaned

    def rows(self):
        """(field, its visibility field) pairs in the order the form shows them."""
        for name in PROFILE_FIELDS:
            yield self[name], self[f"{name}_visibility"]


VISIBILITY_NOUNS = {
    "display_name": "display name",
    "role": "role",
    "district_name": "district name",
    "district_size": "district size",
    "state": "state",
    "years_in_role": "years in role",
    "expertise": "areas of expertise",
    "happy_to_answer": "answer to questions",
    "bio": "about text",
}


class DirectoryFilterForm(NoColonForm):
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *STATE_CHOICES])
    district_size = forms.ChoiceField(
        required=False, label="District size", choices=[("", "Any size"), *Profile.DistrictSize.choices]
    )
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *Profile.Role.choices])
    expertise = forms.CharField(
        required=False,
        max_length=TAG_MAX_LENGTH,
        label="Expertise",
        widget=forms.TextInput(attrs={"list": "expertise-tags"}),
    )
    order = forms.ChoiceField(
        required=False,
        label="Order",
        choices=[("like-me", "People like me first"), ("name", "By name")],
    )

    def clean_expertise(self) -> str:
        return " ".join(self.cleaned_data["expertise"].split()).lower()


class MessageForm(NoColonForm):
    body = forms.CharField(
        label="Message",
        max_length=MESSAGE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Markdown, up to {MESSAGE_MAX_LENGTH:,} characters. Your e-mail address is never shown.",
        error_messages={"required": "Write a message before sending it."},
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm."},
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Your account was not deleted.")
        return password
