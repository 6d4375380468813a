from django import forms

from .models import NotificationSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["auto_watch", "frequency"]
        widgets = {"frequency": forms.RadioSelect}
