"""Who a user is in the government: the unit he or she works for, the role, the leader."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from duban.core.permissions import Action, Actor, RestrictedQuerySet
from duban.directory.models import Leader, Unit


class Role(models.TextChoices):
    OFFICE = "office", _("Supervision office")
    LEADER = "leader", _("Leader")
    UNIT_OPERATOR = "unit_operator", _("Unit operator")
    VIEWER = "viewer", _("Viewer")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


class MembershipQuerySet(RestrictedQuerySet["Membership"]):
    """Accounts, through their membership: one's own, and those one manages.

    Managers of accounts see and change the accounts whose role they may give
    (``duban.accounts.permissions.MANAGED_ROLES``): never an administrator's.
    """

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> MembershipQuerySet:
        managed = models.Q(role__in=who.manages_accounts_of)
        if action == Action.VIEW:
            return self.filter(managed | models.Q(user_id=who.user_id))
        if action == Action.CHANGE:
            return self.filter(managed)
        return self.none()


class Membership(models.Model):
    """A user's place: every user belongs to one unit and has one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    leader = models.ForeignKey(
        Leader,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
        help_text=_("for leaders: the leader this account belongs to"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class PasswordRecord(models.Model):
    """A password an account has had: its hash (never the password), when it was set and
    whether it was given by someone else (a reset, a new account) and must be changed at the
    next sign-in. The newest says the password's age; the last few keep it from coming back
    (duban/accounts/passwords.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_records"
    )
    encoded = models.CharField(max_length=128)
    set_at = models.DateTimeField()
    must_change = models.BooleanField(default=False)

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["user", "-set_at"], name="accounts_pw_user_set")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.set_at:%Y-%m-%d}"


class SignedInSession(models.Model):
    """The one session an account may have (DUBAN_SINGLE_SESSION): the token of its newest
    sign-in; an older session carrying another token ends at its next request
    (duban/accounts/sessions.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_session"
    )
    token = models.CharField(max_length=64)
    signed_in_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id} · {self.signed_in_at:%Y-%m-%d %H:%M}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    READ_WRITE = "read_write", _("Read and write")


class AccessTokenQuerySet(RestrictedQuerySet["AccessToken"]):
    """A personal access token is its owner's alone: seen and revoked by him or her."""

    actions = (Action.VIEW, Action.CHANGE)

    def permitted(self, who: Actor, action: Action) -> AccessTokenQuerySet:
        if action in (Action.VIEW, Action.CHANGE) and who.user_id is not None:
            return self.filter(user_id=who.user_id)
        return self.none()


class AccessToken(models.Model):
    """A personal access token for the API (docs/api.md): made by its owner, shown once, kept
    as its SHA-256 digest only, limited to reading or allowed to write too, expiring, revocable
    (duban/accounts/tokens.py). It acts as its owner, under the owner's permissions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters (dbn_ and 8 more), shown to tell one's tokens apart.
    prefix = models.CharField(_("token starts with"), max_length=16)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(
        _("scope"), max_length=12, choices=TokenScope.choices, default=TokenScope.READ
    )
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
