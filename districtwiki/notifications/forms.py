from django import forms

from .models import NotificationSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["auto_watch", "event_reminders", "frequency"]
        widgets = {"frequency": forms.RadioSelect}
