"""``duban parse FILE``: what duban reads in a notice, as a summary or as JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from duban.core.commands import DubanCommand
from duban.core.formatting import format_cn_date
from duban.intake.errors import IntakeError
from duban.intake.parsing.result import ParseResult
from duban.intake.pipeline import DEMO_DIRECTORY, load_directory, parse_file


class Command(DubanCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        return _(
            "Read a task-split notice (txt, md, docx, pdf, html, xlsx, csv) and list its tasks."
        )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help=_("the notice file"))
        parser.add_argument("--json", action="store_true", help=_("print the parse as JSON"))
        parser.add_argument(
            "--directory",
            metavar="FILE",
            help=_(
                "check unit names against a directory file (JSON or one name per line); "
                "'demo' uses the Yanshi District demo directory"
            ),
        )
        parser.add_argument("--language", choices=["zh-hans", "en"], help=_("message language"))

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            self._run(options)

    def _run(self, options: dict[str, Any]) -> None:
        directory = None
        if options["directory"]:
            demo = options["directory"] == "demo"
            source = DEMO_DIRECTORY if demo else Path(options["directory"])
            try:
                directory = load_directory(source)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                message = _("Cannot read the directory file %(file)s: %(error)s")
                raise self.fail(message, file=source, error=exc) from exc
        path = Path(options["file"])
        if not path.is_file():
            raise self.fail(_("File not found: %(file)s. Check the path and try again."), file=path)
        limit = settings.DUBAN_MAX_UPLOAD_BYTES
        try:
            result = parse_file(path, directory=directory, max_bytes=limit)
        except IntakeError as exc:
            raise self.fail(_("%(file)s: %(error)s"), file=path.name, error=exc.render(_)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(_), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary(result))


def _names(names: list[str]) -> str:
    return "、".join(names) if names else "—"


def summary(result: ParseResult) -> str:
    """A readable report of a parse: document, areas, one line per task, warnings."""
    doc = result.document
    lines = [
        doc["title"] or _("(no title found)"),
        "  ".join(
            part
            for part in (
                doc["doc_number"] or "",
                doc["issuer"] or "",
                _format_date(doc["date"]),
            )
            if part
        ),
        _("%(areas)s areas, %(tasks)s tasks")
        % {"areas": len(result.areas), "tasks": len(result.tasks)}
        + (
            "  "
            + _("(the notice declares %(areas)s areas, %(tasks)s tasks)")
            % {"areas": doc["declared_areas"] or "?", "tasks": doc["declared_tasks"] or "?"}
            if doc["declared_tasks"] or doc["declared_areas"]
            else ""
        ),
        "",
    ]
    by_area: dict[int | None, list[int]] = {}
    for index, task in enumerate(result.tasks):
        by_area.setdefault(task["area"], []).append(index)
    titles = {a["number"]: a["title"] for a in result.areas}
    for area, indexes in by_area.items():
        if area is not None:
            lines.append(
                _("%(number)s. %(title)s (%(count)s tasks)")
                % {"number": area, "title": titles.get(area, ""), "count": len(indexes)}
            )
        for index in indexes:
            task = result.tasks[index]
            text = task["text"] if len(task["text"]) <= 40 else task["text"][:39] + "…"
            details = _("leaders: %(leaders)s | lead: %(lead)s | responsible: %(responsible)s") % {
                "leaders": _names(task["lead_leaders"]),
                "lead": _names(task["lead_units"]),
                "responsible": _names(task["responsible_units"]),
            }
            if task["deadline"]:
                details += "｜" + _("deadline: %(date)s") % {"date": _format_date(task["deadline"])}
            if task["targets"]:
                details += "｜" + _("%(count)s targets") % {"count": len(task["targets"])}
            lines.append(f"  {task['number']}. {text}\n      {details}")
    if result.warnings:
        lines += ["", _("Warnings (%(count)s):") % {"count": len(result.warnings)}]
        lines += [f"  ! {w.render(_)}" for w in result.warnings]
    return "\n".join(lines)


def _format_date(value: str | None) -> str:
    if not value:
        return ""
    return format_cn_date(date.fromisoformat(value))
