"""Member profiles: who a member is at work, so the wiki can put the right pages in front of them."""

from django.conf import settings
from django.db import models


class Profile(models.Model):
    class Role(models.TextChoices):
        TEACHER = "teacher", "Teacher with technology duties"
        ADMINISTRATOR = "administrator", "Administrator with technology duties"
        DIRECTOR = "director", "Technology director or coordinator"
        TECHNICIAN = "technician", "Technician"
        GRADUATE = "graduate", "Student or recent graduate"
        OTHER = "other", "Other"

    class DistrictSize(models.TextChoices):
        UNDER_1000 = "under-1000", "Under 1,000 students"
        UP_TO_2500 = "1000-2500", "1,000–2,500 students"
        UP_TO_10000 = "2500-10000", "2,500–10,000 students"
        OVER_10000 = "over-10000", "Over 10,000 students"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    district_size = models.CharField(max_length=20, choices=DistrictSize.choices, blank=True)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"

    @property
    def audiences(self) -> list[str]:
        """The page audiences (front matter `audience`) this member's role reads."""
        return ROLE_AUDIENCES.get(self.role, [])


ROLE_AUDIENCES = {
    Profile.Role.TEACHER: ["teacher-leader"],
    Profile.Role.ADMINISTRATOR: ["superintendent", "director"],
    Profile.Role.DIRECTOR: ["coordinator", "director"],
    Profile.Role.TECHNICIAN: ["technician"],
    Profile.Role.GRADUATE: ["technician"],
}
