from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A NUSO user with one role. Municipal users belong to one or more units and see row-level
    data of those only; social workers register cases for their units and see their own
    drafts and registrations only; analysts see every unit; administrators also manage users,
    units and the API's keys."""

    class Role(models.TextChoices):
        MUNICIPAL = "kommun", _("Kommunanvändare")
        SOCIAL_WORKER = "handlaggare", _("Handläggare")
        ANALYST = "analytiker", _("Analytiker")
        ADMINISTRATOR = "administrator", _("Administratör")

    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.MUNICIPAL)
    units = models.ManyToManyField(
        "units.Unit",
        verbose_name=_("enheter"),
        blank=True,
        related_name="users",
        help_text=_(
            "Kommuner eller stadsdelar vars data användaren får se (kommunanvändare) eller "
            "registrerar för (handläggare)."
        ),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    @property
    def sees_all_units(self) -> bool:
        return self.role in (self.Role.ANALYST, self.Role.ADMINISTRATOR)

    @property
    def is_social_worker(self) -> bool:
        return self.role == self.Role.SOCIAL_WORKER
