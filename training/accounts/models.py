"""The platform's user: identified by email, with a profession and an employer; the role is
given by the Django groups they belong to (``training.access.roles``)."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["User"]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the platform; the role is given by the groups they belong to."""

    class ProfessionCategory(models.TextChoices):
        HEALTH = "sante", _("Health")
        SOCIAL = "social", _("Social")
        MEDICO_SOCIAL = "medico_social", _("Medico-social")
        EDUCATION = "education", _("Education")
        ADMINISTRATION = "administration", _("Administration")
        USER_REPRESENTATIVE = "usager", _("Service user or users' representative")
        OTHER = "autre", _("Other")

    email = models.EmailField(_("email address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    profession = models.CharField(_("profession"), max_length=150, blank=True)
    profession_category = models.CharField(
        _("profession category"),
        max_length=20,
        choices=ProfessionCategory.choices,
        default=ProfessionCategory.OTHER,
    )
    organisation = models.CharField(_("organisation / employer"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            # Logins and lockouts go by the lower-cased email: two accounts whose emails differ
            # only by case would share a lockout and confuse the login.
            models.UniqueConstraint(
                Lower("email"),
                name="unique_user_email_case_insensitive",
                violation_error_message=_("A user with this email address already exists."),
            ),
        ]
        permissions = [
            ("follow_course", _("Can follow the course and take quizzes")),
            ("run_sessions", _("Can schedule and run training sessions")),
            ("administer_platform", _("Can oversee every session and export data")),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)
