"""``duban assess YEAR [--json] [--as-of DATE] [--dry-run]``: the year-end assessment.

Computes the year's scores from the record as it stood on ``--as-of`` (default today) and
stores them as the draft — exactly what the office's 计算 button does (adjustments and upheld
appeals are re-applied) — then prints each unit's score, group, rank, grade, veto and items.
A year in publicity or published is not computed again: its stored result is printed
unchanged (a published year is frozen). ``--dry-run`` computes without storing anything.
``--json`` prints the same as JSON (keys in docs/assessment.md).
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.utils.translation import gettext as _

from duban.core import clock
from duban.core.commands import DubanCommand
from duban.core.formatting import format_cn_date, format_table
from duban.ledger.models import Plan

from ...models import Assessment, AssessmentState, Grade, Group
from ...services import AssessmentError
from ...services.compute import UnitResult, assess_plan, compute, stored_results, stored_scheme


class Command(DubanCommand):
    help = "The year-end assessment: each unit's score, group rank, grade and items."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("year", help="the plan's year, e.g. 2023")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--as-of", metavar="YYYY-MM-DD", help="read the record as of this day (default today)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and print without storing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year_text = str(options["year"]).strip()
        if not year_text.isdigit() or not 2000 <= int(year_text) <= 2100:
            raise self.fail(_("“%(value)s” is not a year; write it as 2023."), value=year_text)
        year = int(year_text)
        as_of = clock.today()
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"].strip())
            except ValueError:
                message = _("“%(value)s” is not a date; write it as 2023-08-15.")
                raise self.fail(message, value=options["as_of"]) from None
        plan = Plan.objects.filter(year=year).order_by("-created_at", "-pk").first()
        if plan is None:
            raise self.fail(_("There is no plan for %(year)s: import its notice first."), year=year)
        assessment = Assessment.objects.filter(plan=plan).select_related("scheme").first()
        note = ""
        try:
            if assessment is not None and assessment.state != AssessmentState.DRAFT:
                results = stored_results(assessment)
                note = (
                    _("Published and frozen: the stored result, unchanged.")
                    if assessment.state == AssessmentState.PUBLISHED
                    else _("In publicity: the stored result, unchanged.")
                )
            elif options["dry_run"]:
                results = assess_plan(plan, as_of)
                note = _("Computed without storing (--dry-run).")
            else:
                assessment = compute(plan, None, as_of)
                results = stored_results(assessment)
        except AssessmentError as exc:
            raise self.fail(str(exc)) from None
        stored = assessment is not None and not options["dry_run"]
        if stored:
            assert assessment is not None
            as_of = assessment.as_of
        state = assessment.state if stored and assessment is not None else ""
        scheme = assessment.scheme if assessment is not None else stored_scheme()
        data = as_data(plan, results, as_of, state, scheme)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.table(plan, results, data, note))

    def table(self, plan: Plan, results: list[UnitResult], data: dict[str, Any], note: str) -> str:
        lines = [
            _("%(year)s assessment: %(title)s, record as of %(date)s")
            % {
                "year": plan.year,
                "title": plan.title,
                "date": format_cn_date(dt.date.fromisoformat(data["as_of"])),
            }
        ]
        if note:
            lines.append(note)
        rows = [[_("Unit"), _("Ranking group"), _("Score"), _("Rank"), _("Grade"), _("Veto")]]
        for result in results:
            rows.append(
                [
                    result.unit.name,
                    str(Group(result.group).label),
                    str(result.score),
                    str(result.rank),
                    str(Grade(result.grade).label),
                    _("yes") if result.vetoed else "",
                ]
            )
        lines += ["", format_table(rows)]
        for result in results:
            lines += ["", f"{result.unit.name}  {result.score}"]
            lines += [f"  {veto['text']}" for veto in result.vetoes]
            item_rows = [[f"{item.points:+}", item.text] for item in result.items]
            if item_rows:
                lines.append(format_table([["", ""], *item_rows], gap=2).split("\n", 1)[-1])
        return "\n".join(lines)


def as_data(
    plan: Plan, results: list[UnitResult], as_of: dt.date, state: str, scheme: Any
) -> dict[str, Any]:
    """The JSON of ``duban assess`` (docs/assessment.md): points as strings with two places."""
    return {
        "plan": {"year": plan.year, "title": plan.title},
        "as_of": as_of.isoformat(),
        "state": state or None,
        "scheme": {"name": scheme.name, "version": scheme.version} if scheme else None,
        "units": [
            {
                "unit": result.unit.name,
                "unit_id": result.unit.pk,
                "kind": result.unit.kind,
                "group": result.group,
                "score": str(result.score),
                "rank": result.rank,
                "grade": result.grade,
                "grade_label": str(Grade(result.grade).label),
                "vetoed": result.vetoed,
                "vetoes": result.vetoes,
                "items": [
                    {
                        "key": item.key,
                        "component": item.component,
                        "rule": item.rule,
                        "points": str(item.points),
                        "computed_points": None if item.computed is None else str(item.computed),
                        "text": item.text,
                        "task": item.task_number or None,
                        "source": {
                            "type": item.source_type or None,
                            "id": item.source_id,
                            "link": item.link or None,
                        },
                    }
                    for item in result.items
                ],
            }
            for result in results
        ],
    }
