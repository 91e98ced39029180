"""User management for the office and the security administrator (``Action.MANAGE_USERS``).

Views only check the right, read the form, call ``duban.accounts.services`` and render. A
password duban makes (new account without one, reset) is shown once, in the answer to the
POST that made it, marked not to be cached; it is stored nowhere else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.models import AbstractUser
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from duban.core.permissions import Action, requires

from . import services
from .forms import UserFilterForm, UserForm
from .models import Membership
from .permissions import managed_roles

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
    rows = [(user, user.pk in changeable) for user in page.object_list]
    context = {
        "nav": "users",
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
    context = {
        "nav": "users",
        "form": form,
        "account": user,
        "membership": membership,
        "is_self": user.pk == request.user.pk,
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
