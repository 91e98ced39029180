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
