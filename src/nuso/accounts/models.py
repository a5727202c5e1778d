from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A NUSO user. Own model from day one so that roles and unit memberships can be added
    without swapping Django's user model later (which cannot be done on a live database)."""

    class Meta:
        verbose_name = "användare"
        verbose_name_plural = "användare"
