"""The assessment scheme (/assessment/scheme/): the current version's rules in words, every
rule with its value, the older versions; the office edits the rules in a form and saving makes
the next version (``schemes.save_scheme``); a version that was used by a year says so."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from duban.core.permissions import Action, can, check, requires
from duban.directory.models import UnitKind

from .. import scheme as scheme_rules
from ..forms import SchemeForm, plain, sections
from ..models import Scheme
from ..services import AssessmentError, schemes
from ..services.schemes import LABELS
from .common import page

# How a rule's value reads (points unless named here).
WEIGHTS = ("lead_weight", "responsible_weight", "responsible_share")
WORKING_DAYS = ("late_minor_days", "publicity_days")
PERCENTS = ("excellent_quota",)
COUNTS = ("veto_missed_tasks",)


def value_text(name: str, value: Any) -> str:
    """A rule's value as people read it: 1分, 3个工作日, 25%, 是/否, 镇、街道."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, tuple | list):
        kinds = dict(UnitKind.choices)
        return "、".join(str(kinds.get(v, v)) for v in value) or "—"
    if name in COUNTS:
        if not value:
            return _("Off")
        return _("%(count)s tasks") % {"count": value}
    if name in WORKING_DAYS:
        return _("%(count)s working days") % {"count": value}
    number = plain(Decimal(value))
    if name in PERCENTS:
        return f"{number}%"
    if name in WEIGHTS:
        return number
    return _("%(points)s points") % {"points": number}


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    value: str


def _p(value: Decimal) -> str:
    return plain(value)


def summary(rules: scheme_rules.Scheme) -> list[str]:
    """The scheme in sentences, in the order the issue's default scheme is written."""
    lines = [
        _(
            "Base score %(base)s: task completion %(completion)s, pace of progress %(pace)s, "
            "reporting %(reporting)s, response to supervision %(response)s; no part goes below "
            "0."
        )
        % {
            "base": _p(rules.base),
            "completion": _p(rules.completion_pool),
            "pace": _p(rules.pace_pool),
            "reporting": _p(rules.reporting_pool),
            "response": _p(rules.response_pool),
        },
        _(
            "Task completion: each task counts min(actual ÷ target, 1) × its weight (lead unit "
            "%(lead)s, responsible unit %(responsible)s)."
        )
        % {"lead": _p(rules.lead_weight), "responsible": _p(rules.responsible_weight)},
    ]
    if rules.evidence_required:
        lines.append(_("A task counts as done only with its evidence accepted."))
    lines += [
        _(
            "Pace of progress: each task and quarter with a red light −%(red)s, with a yellow "
            "light −%(yellow)s."
        )
        % {"red": _p(rules.pace_red), "yellow": _p(rules.pace_yellow)},
        _(
            "Reporting: each quarterly report late by at most %(days)s working days "
            "−%(minor)s, later −%(major)s, missing −%(missing)s, returned −%(returned)s."
        )
        % {
            "days": rules.late_minor_days,
            "minor": _p(rules.report_late_minor),
            "major": _p(rules.report_late_major),
            "missing": _p(rules.report_missing),
            "returned": _p(rules.report_returned),
        },
        _(
            "Response to supervision: each late reply −%(late)s; each 督办 −%(supervise)s; "
            "each 挂牌督办 −%(listed)s."
        )
        % {
            "late": _p(rules.notice_late_reply),
            "supervise": _p(rules.notice_supervise),
            "listed": _p(rules.notice_listed),
        },
        _("A responsible unit's deductions and bonuses count %(share)s of a lead unit's.")
        % {"share": _p(rules.responsible_share)},
        _(
            "Bonus, at most +%(cap)s: a task completed early +%(early)s, beyond its target "
            "+%(beyond)s (at most +%(task_cap)s a task); praised in a circular +%(praise)s; "
            "recognised by a higher level +%(least)s to +%(most)s, entered by the office with "
            "the document."
        )
        % {
            "cap": _p(rules.bonus_cap),
            "early": _p(rules.early_bonus),
            "beyond": _p(rules.beyond_target_bonus),
            "task_cap": _p(rules.task_bonus_cap),
            "praise": _p(rules.praise_bonus),
            "least": _p(rules.recognition_min),
            "most": _p(rules.recognition_max),
        },
        _("Leaders' written approval (领导批示肯定) earns a bonus.")
        if rules.instruction_bonus
        else _(
            "Leaders' written approval (领导批示肯定) earns nothing: the 2024 rules on reducing "
            "burdens at the grassroots forbid judging units by it."
        ),
        _(
            "Deductions: criticised in a circular −%(criticism)s; a verified false report "
            "−%(false)s."
        )
        % {"criticism": _p(rules.criticism), "false": _p(rules.falsified)},
    ]
    vetoes = []
    if rules.veto_falsified:
        vetoes.append(_("a verified false report"))
    if rules.veto_missed_tasks:
        vetoes.append(
            _("%(count)s or more tasks missed without an approved extension")
            % {"count": rules.veto_missed_tasks}
        )
    if vetoes:
        lines.append(_("Veto (一票否决): %(causes)s.") % {"causes": "；".join(vetoes)})
    else:
        lines.append(_("No veto."))
    lines += [
        _(
            "Grades within each ranking group (towns and streets; departments): Excellent from "
            "%(excellent)s and within the top %(quota)s per cent of the group (rounded down); "
            "Good from %(good)s; Fair from %(fair)s; Poor below %(fair)s or with a veto."
        )
        % {
            "excellent": _p(rules.grade_excellent),
            "quota": _p(rules.excellent_quota),
            "good": _p(rules.grade_good),
            "fair": _p(rules.grade_fair),
        },
        _(
            "Publicity: %(days)s working days, during which each unit may appeal any item of its "
            "own score."
        )
        % {"days": rules.publicity_days},
    ]
    return lines


def rule_sections(rules: scheme_rules.Scheme) -> list[tuple[str, list[Rule]]]:
    return [
        (
            str(title),
            [
                Rule(name, str(LABELS.get(name, name)), value_text(name, getattr(rules, name)))
                for name in names
            ],
        )
        for title, names in sections()
    ]


def _versions() -> list[Scheme]:
    return list(
        Scheme.objects.order_by("-version")
        .select_related("created_by")
        .prefetch_related("assessments__plan")
    )


def _scheme_page(request: HttpRequest, shown: Scheme) -> HttpResponse:
    rules = schemes.rules_of(shown)
    current = schemes.current_scheme()
    context = {
        "scheme": shown,
        "current": current,
        "is_current": shown.pk == current.pk,
        "summary": summary(rules),
        "sections": rule_sections(rules),
        "versions": _versions(),
        "years": sorted({a.plan.year for a in shown.assessments.select_related("plan")}),
        "manage": can(request.user, Action.CHANGE, current),
    }
    return page(request, "scheme.html", context)


@require_GET
@requires(Action.READ_LEDGER)
def scheme(request: HttpRequest) -> HttpResponse:
    current = schemes.current_scheme()
    check(request.user, Action.VIEW, current)
    return _scheme_page(request, current)


@require_GET
@requires(Action.READ_LEDGER)
def scheme_version(request: HttpRequest, version: int) -> HttpResponse:
    shown = Scheme.objects.restrict(request.user, Action.VIEW).filter(version=version).first()
    if shown is None:
        raise Http404(_("There is no such version of the scheme."))
    return _scheme_page(request, shown)


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_LEDGER)
def scheme_edit(request: HttpRequest) -> HttpResponse:
    current = schemes.current_scheme()
    rules = schemes.rules_of(current)
    form = SchemeForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        # What does not hold together (a grade band out of order), next to its field.
        for problem in scheme_rules.validate(form.rules()):
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, schemes.problem_text(problem))
    if request.method == "POST" and form.is_valid():
        try:
            saved = schemes.save_scheme(request.user, form.rules(), form.cleaned_data["note"])
        except AssessmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Version %(version)s of the scheme is saved; years computed from now on use it.")
                % {"version": saved.version},
            )
            return redirect("assessment:scheme")
    context = {"form": form, "current": current}
    status = 400 if request.method == "POST" else 200
    return page(request, "scheme_form.html", context, status=status)
