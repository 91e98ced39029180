"""Roles, read in one place: what an account's role means for duban.core.permissions.

This is the only module that reads a role. It turns an account into an ``Actor`` (the unit it
acts for, the leader it is, whether it reads every task, the capabilities it holds) and says
which roles a manager of accounts may give. Every model's ``permitted(who, action)`` and every
``can(user, action, obj)`` then decide from the Actor alone.

- The supervision office (督查室, ``office``) reads every task and manages the ledger: imports,
  the directory, periods, reviews, notices, inspections, circulars. It manages the accounts of
  units, leaders and viewers.
- A viewer reads every task and changes nothing.
- A leader reads the tasks he or she leads (牵头领导), read-only.
- A unit operator acts for the unit: the tasks that reach it (named, through a group that stands
  for it, or named behind an open placeholder by the lead unit).
- 三权分立: the system administrator manages settings and channels, the security administrator
  manages business accounts (office, unit, leader, viewer) and never an administrator's, the
  audit administrator only reads the trail. None of them reads business data. Administrator
  accounts are made on the server only (``duban admin create``).
- Django's staff and superuser flags grant nothing in duban; an inactive account may do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from duban.core.permissions import Action, Actor, actor, register_actor_source

from .models import Membership, Role

BUSINESS_ROLES = (Role.OFFICE, Role.VIEWER, Role.LEADER, Role.UNIT_OPERATOR)
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

GRANTS: dict[str, frozenset[Action]] = {
    Role.OFFICE: frozenset({Action.READ_LEDGER, Action.MANAGE_LEDGER, Action.MANAGE_USERS}),
    Role.VIEWER: frozenset({Action.READ_LEDGER}),
    Role.LEADER: frozenset({Action.READ_LEDGER}),
    Role.UNIT_OPERATOR: frozenset({Action.READ_LEDGER}),
    Role.SYSTEM_ADMIN: frozenset({Action.MANAGE_SETTINGS}),
    Role.SECURITY_ADMIN: frozenset({Action.MANAGE_USERS}),
    Role.AUDIT_ADMIN: frozenset({Action.READ_AUDIT}),
}
READS_ALL = (Role.OFFICE, Role.VIEWER)

# Whose accounts a manager of accounts may create and change: never an administrator's (those
# are made on the server), and the office not its own kind (the security administrator does).
MANAGED_ROLES: dict[str, tuple[str, ...]] = {
    Role.SECURITY_ADMIN: BUSINESS_ROLES,
    Role.OFFICE: (Role.VIEWER, Role.LEADER, Role.UNIT_OPERATOR),
}


def membership(user: Any) -> Membership | None:
    """The user's membership with its unit, in one query the first time, then from the cache
    Django keeps on the user object (``user.membership`` reads the same cache)."""
    relation = user._meta.get_field("membership")
    if not relation.is_cached(user):
        found = Membership.objects.select_related("unit").filter(user_id=user.pk).first()
        relation.set_cached_value(user, found)
    found_membership: Membership | None = relation.get_cached_value(user)
    return found_membership


def read_account(user: Any) -> Actor:
    """Read afresh on every call: the membership is cached on the user object, so repeated
    calls cost no query, and a change of ``is_active`` made on that object is seen at once."""
    place = membership(user)
    if place is None:
        return Actor(user_id=user.pk, active=bool(user.is_active))
    role = place.role
    unit = place.unit if role == Role.UNIT_OPERATOR else None
    return Actor(
        user_id=user.pk,
        active=bool(user.is_active),
        unit_id=unit.pk if unit is not None else None,
        unit_kind=unit.kind if unit is not None else None,
        unit_active=bool(unit.active) if unit is not None else True,
        leader_id=place.leader_id if role == Role.LEADER else None,
        reads_all=role in READS_ALL,
        grants=GRANTS.get(role, frozenset()),
        manages_accounts_of=frozenset(MANAGED_ROLES.get(role, ())),
    )


def managed_roles(by: Any) -> list[str]:
    """The roles ``by`` may give to an account, in the order of ``Role`` (none for most)."""
    allowed = actor(by).manages_accounts_of if actor(by).active else frozenset()
    return [role for role in Role.values if role in allowed]


def register() -> None:
    """Called by the app when Django starts: duban.core.permissions reads accounts this way."""
    register_actor_source(read_account)


def users_with(capability: Action) -> QuerySet[Any]:
    """Active accounts holding a capability (the office for ``Action.MANAGE_LEDGER``)."""
    roles = [role for role, grants in GRANTS.items() if capability in grants]
    return get_user_model().objects.filter(is_active=True, membership__role__in=roles)


def users_acting_for(units: Iterable[int] | None = None) -> QuerySet[Any]:
    """Active accounts that act for a unit (its operators), for ``units`` or any unit."""
    users = get_user_model().objects.filter(
        is_active=True, membership__role=Role.UNIT_OPERATOR, membership__unit__isnull=False
    )
    return users if units is None else users.filter(membership__unit__in=list(units))


def opens_admin_site(user: Any) -> bool:
    """Django's admin site, where it is turned on (``DUBAN_DJANGO_ADMIN``), for staff accounts;
    the staff flag grants nothing else in duban."""
    return bool(
        settings.DJANGO_ADMIN
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
    )


def unlocks_addresses(user: Any) -> bool:
    """Whether ``user`` may lift a sign-in lock on an address (which holds every account
    signing in from there): the security administrator alone."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    place = membership(user)
    return place is not None and place.role == Role.SECURITY_ADMIN
