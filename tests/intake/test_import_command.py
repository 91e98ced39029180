"""`duban import`: unknown names stop it, the same notice twice changes nothing, a revision
shows its diff and is applied only when confirmed."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from duban.directory.models import Unit
from duban.ledger.models import Plan, Task, TaskStatus
from tests.support.notices import SEED, revised_seed

pytestmark = pytest.mark.usefixtures("directory", "media")


def run(*args: str) -> str:
    out = StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_an_unknown_name_stops_the_import_and_names_the_candidate() -> None:
    units = Unit.objects.count()
    with pytest.raises(CommandError) as caught:
        run(str(SEED))
    assert caught.value.returncode == 2
    assert "缙氏镇" in str(caught.value) and "缑氏镇" in str(caught.value)
    assert (Plan.objects.count(), Unit.objects.count()) == (0, units)


def test_importing_the_seed_twice_leaves_one_plan_of_98_tasks() -> None:
    run(str(SEED), "--map", "缙氏镇=缑氏镇")
    second = run(str(SEED), "--map", "缙氏镇=缑氏镇")
    assert Plan.objects.count() == 1
    plan = Plan.objects.get()
    assert (plan.tasks.count(), plan.areas.count(), plan.imports.count()) == (98, 10, 1)
    assert plan.doc_number == "偃政〔2023〕6号"
    assert "洛阳市偃师区人民政府" in second and plan.imports.count() == 1
    task17 = plan.tasks.get(number="17")
    assert [a.name for a in task17.assignments.filter(role="responsible")] == [
        "商务局",
        "商投公司",
        "缑氏镇",
    ]
    task1 = plan.tasks.get(number="1")
    assert task1.assignments.get(role="responsible", position=2).group.name == "各镇（街道）"


def test_a_revised_notice_shows_exactly_its_diff_and_waits_for_confirmation(tmp_path: Path) -> None:
    run(str(SEED), "--map", "缙氏镇=缑氏镇")
    survivor = Task.objects.get(number="10")
    survivor.status = TaskStatus.IN_PROGRESS
    survivor.save()
    revised = tmp_path / "revised.txt"
    revised.write_bytes(revised_seed())

    with pytest.raises(SystemExit) as refused:  # no terminal and no --yes: nothing applied
        run(str(revised), "--map", "缙氏镇=缑氏镇")
    assert refused.value.code == 1
    assert Task.objects.count() == 98

    out = run(str(revised), "--map", "缙氏镇=缑氏镇", "--yes")
    changes = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert changes[0].startswith("- 46. 加快智慧城市建设")
    assert changes[1].startswith("~ 47. 开展交通秩序") and changes[1].endswith("← 任务")
    assert len(changes) == 2
    assert Task.objects.count() == 97
    assert not Task.objects.filter(number="46").exists()
    assert "专项攻坚" in Task.objects.get(number="47").text
    kept = Task.objects.get(pk=survivor.pk)
    assert (kept.number, kept.status) == ("10", TaskStatus.IN_PROGRESS)


def test_create_unit_and_dry_run() -> None:
    out = run(str(SEED), "--create-unit", "缙氏镇", "--kind", "town", "--dry-run")
    assert (
        "98" in out
        and not Plan.objects.exists()
        and not Unit.objects.filter(name="缙氏镇").exists()
    )
    run(str(SEED), "--create-unit", "缙氏镇", "--kind", "town")
    assert Unit.objects.get(name="缙氏镇").kind == "town"


def test_a_map_to_an_unknown_unit_is_refused() -> None:
    with pytest.raises(CommandError) as caught:
        run(str(SEED), "--map", "缙氏镇=不存在局")
    assert caught.value.returncode == 2
    assert not Plan.objects.exists()
