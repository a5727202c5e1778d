from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A NUSO user with one role. Municipal users belong to one or more units and see row-level
    data of those only; analysts see every unit; administrators also manage users and units."""

    class Role(models.TextChoices):
        MUNICIPAL = "kommun", "Kommunanvändare"
        ANALYST = "analytiker", "Analytiker"
        ADMINISTRATOR = "administrator", "Administratör"

    role = models.CharField("roll", max_length=20, choices=Role.choices, default=Role.MUNICIPAL)
    units = models.ManyToManyField(
        "units.Unit",
        verbose_name="enheter",
        blank=True,
        related_name="users",
        help_text="Kommuner eller stadsdelar vars data användaren får se (kommunanvändare).",
    )

    class Meta:
        verbose_name = "användare"
        verbose_name_plural = "användare"

    @property
    def sees_all_units(self) -> bool:
        return self.role in (self.Role.ANALYST, self.Role.ADMINISTRATOR)
