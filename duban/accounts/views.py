"""User management for the office and the security administrator (``Action.MANAGE_USERS``).

Views only check the right, read the form, call ``duban.accounts.services`` and render. A
password duban makes (new account without one, reset) is shown once, in the answer to the
POST that made it, marked not to be cached; it is stored nowhere else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.models import AbstractUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.audit.models import AuditAction
from duban.audit.signals import record
from duban.core.permissions import Action, requires

from . import lockout, passwords, services
from .forms import UserFilterForm, UserForm
from .models import Membership
from .permissions import managed_roles, unlocks_addresses

PAGE_SIZE = 50


def _account(request: HttpRequest, pk: int) -> AbstractUser:
    """The account to change: 404 if there is none, 403 unless the person may change it (an
    administrator's account, or one of the office's own kind, is changed on the server)."""
    user: AbstractUser = get_object_or_404(get_user_model(), pk=pk)
    services.check_may_change(request.user, user)
    return user


def _password_page(
    request: HttpRequest, user: AbstractUser, password: str, created: bool
) -> HttpResponse:
    context = {"nav": "users", "account": user, "password": password, "created": created}
    response = render(request, "accounts/user_password.html", context)
    add_never_cache_headers(response)
    return response


def _apply_problem(form: UserForm, problem: services.AccountProblem) -> None:
    for field, errors in problem.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@requires(Action.MANAGE_USERS)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    """The accounts the person manages, and his or her own."""
    filters = UserFilterForm(request.GET)
    criteria = filters.criteria()
    visible = Membership.objects.restrict(request.user, Action.VIEW)
    users = services.find_users(**criteria).filter(pk__in=visible.values("user_id"))
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    changeable = set(
        Membership.objects.restrict(request.user, Action.CHANGE)
        .filter(user__in=[user.pk for user in page.object_list])
        .values_list("user_id", flat=True)
    )
    locked = lockout.locked_accounts([user.get_username() for user in page.object_list])
    for user in page.object_list:
        user.locked_until = locked.get(user.get_username())  # shown in the status column
    rows = [(user, user.pk in changeable) for user in page.object_list]
    context = {
        "nav": "users",
        "locked_addresses": (
            lockout.locked_addresses() if unlocks_addresses(request.user) else None
        ),
        "filters": filters,
        "filtered": any(value not in ("", None) for value in criteria.values()),
        "page_obj": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "accounts/users.html", context)


@requires(Action.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None, creating=True, roles=managed_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.create_user(
                by=request.user,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                unit=data["unit"],
                leader=data["leader"],
                password=data["password1"],
            )
        except services.AccountProblem as problem:
            _apply_problem(form, problem)
        else:
            if password:
                return _password_page(request, user, password, created=True)
            messages.success(
                request, _("Created the account %(name)s.") % {"name": user.get_username()}
            )
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"nav": "users", "form": form})


@requires(Action.MANAGE_USERS)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    membership = Membership.objects.filter(user_id=user.pk).first()
    initial: dict[str, Any] = {"full_name": user.get_full_name()}
    if membership is not None:
        initial.update(role=membership.role, unit=membership.unit, leader=membership.leader)
    form = UserForm(
        request.POST or None,
        initial=initial,
        creating=False,
        current_unit=membership.unit_id if membership is not None else None,
        roles=managed_roles(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(
                by=request.user,
                user=user,
                full_name=data["full_name"],
                role=data["role"],
                unit=data["unit"],
                leader=data["leader"],
            )
        except services.AccountProblem as problem:
            _apply_problem(form, problem)
        else:
            messages.success(
                request, _("Saved the account %(name)s.") % {"name": user.get_username()}
            )
            return redirect("accounts:users")
    username = user.get_username()
    context = {
        "nav": "users",
        "form": form,
        "account": user,
        "membership": membership,
        "is_self": user.pk == request.user.pk,
        "locked_until": lockout.locked_accounts([username]).get(username),
        "password_set_at": passwords.set_at(user),
        "password_owed": passwords.owed_change(user),
    }
    return render(request, "accounts/user_form.html", context)


@requires(Action.MANAGE_USERS)
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(by=request.user, user=user, active=active)
    except services.AccountProblem as problem:
        messages.error(request, str(problem))
    else:
        message = (
            _("The account %(name)s is active again.")
            if active
            else _("The account %(name)s is deactivated; it can no longer sign in.")
        )
        messages.success(request, message % {"name": user.get_username()})
    return redirect("accounts:user_edit", pk=user.pk)


@requires(Action.MANAGE_USERS)
@require_POST
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    user = _account(request, pk)
    password = services.reset_password(by=request.user, user=user)
    if user.pk == request.user.pk:
        update_session_auth_hash(request, user)  # type: ignore[arg-type]  # keeps one signed in
    return _password_page(request, user, password, created=False)


@requires(Action.MANAGE_USERS)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a sign-in lock before it ends (audited)."""
    user = _account(request, pk)
    lockout.unlock(by=request.user, user=user)
    messages.success(
        request, _("The account %(name)s may sign in again.") % {"name": user.get_username()}
    )
    return redirect("accounts:user_edit", pk=user.pk)


@requires(Action.MANAGE_USERS)
@require_POST
def address_unlock(request: HttpRequest) -> HttpResponse:
    """Lift the sign-in lock on an address (the security administrator; audited)."""
    address = request.POST.get("address", "").strip()
    if not address:
        messages.error(request, _("Name the address to unlock."))
    else:
        lockout.unlock_address(by=request.user, address=address)
        messages.success(
            request, _("Sign-in from %(address)s is open again.") % {"address": address}
        )
    return redirect("accounts:users")


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """One's own password: the old one, the new one twice (the password policy applies). The
    page a sign-in leads to when the password was given by someone else or has expired."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)  # this session stays signed in
        passwords.changed(request)
        record(AuditAction.PASSWORD, user, after={"password": "changed"})
        messages.success(request, _("Your password is changed."))
        return redirect(target or "home")
    owed = request.session.get(passwords.OWED_KEY)
    context = {
        "form": form,
        "next": target,
        "owed": passwords.reason_text(owed) if owed else "",
    }
    response = render(request, "accounts/password_change.html", context)
    add_never_cache_headers(response)
    return response
