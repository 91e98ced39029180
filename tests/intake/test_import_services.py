"""The import workflow underneath the pages and the command: all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from duban.directory.models import Leader, Unit
from duban.intake import services, staging
from duban.ledger import services as ledger_services
from duban.ledger.models import Assignment, Plan, Task
from tests.support.notices import revised_seed

pytestmark = pytest.mark.usefixtures("directory", "media")


def test_the_demo_plan_imports_once() -> None:
    first = services.import_demo_plan()
    second = services.import_demo_plan()
    assert (first.created, first.applied, second.applied) == (True, True, False)
    assert Plan.objects.get().tasks.count() == 98
    assert Leader.objects.filter(name="朱蕾").exists()


def test_a_failure_half_way_leaves_the_database_and_the_files_as_they_were(
    monkeypatch: pytest.MonkeyPatch, seed_bytes: bytes, media: Path
) -> None:
    staged = services.stage_upload(data=seed_bytes, filename="seed.txt", user=None)
    services.choose(staged, "缙氏镇", "new:town")
    calls = {"n": 0}
    real_attach = ledger_services._attach

    def failing_attach(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 50:
            raise RuntimeError("disk full")
        real_attach(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger_services, "_attach", failing_attach)
    units, leaders = Unit.objects.count(), Leader.objects.count()
    with pytest.raises(RuntimeError):
        services.commit(staged, None)
    assert (Plan.objects.count(), Task.objects.count(), Assignment.objects.count()) == (0, 0, 0)
    assert (Unit.objects.count(), Leader.objects.count()) == (units, leaders)
    assert not (media / "media" / "plans").exists() or not any(
        (media / "media" / "plans").rglob("*.txt")
    )
    assert staging.load(staged.token, None).choices == {"缙氏镇": "new:town"}  # can be retried


def test_an_abandoned_import_changes_nothing(seed_bytes: bytes) -> None:
    units = Unit.objects.count()
    staged = services.stage_upload(data=seed_bytes, filename="seed.txt", user=None)
    services.choose(staged, "缙氏镇", "new:town")
    services.edit_task(staged, 0, "lead_units", "财政局")
    staged.discard()
    assert not staged.folder.exists()
    assert (Plan.objects.count(), Unit.objects.count()) == (0, units)


def test_the_preview_flags_unknown_names_and_commit_waits_for_them(seed_bytes: bytes) -> None:
    staged = services.stage_upload(data=seed_bytes, filename="seed.txt", user=None)
    preview = services.build_preview(staged)
    assert [row.name for row in preview.unresolved] == ["缙氏镇"]
    assert preview.unresolved[0].resolution.candidates[0][1] == "缑氏镇"
    assert preview.unresolved[0].tasks == ["17"]
    assert list(preview.flags) == [16] and not preview.can_commit
    with pytest.raises(services.ImportProblem):
        services.commit(staged, None)
    goushi = Unit.objects.get(name="缑氏镇")
    services.choose(staged, "缙氏镇", f"unit:{goushi.pk}")
    preview = services.build_preview(staged)
    assert (
        preview.can_commit
        and preview.names[[r.name for r in preview.names].index("缙氏镇")].status == "chosen"
    )
    outcome = services.commit(staged, None)
    assert outcome.created and outcome.plan.tasks.count() == 98
    assert not staged.folder.exists()


def test_corrections_in_the_preview_reach_the_ledger(seed_bytes: bytes) -> None:
    staged = services.stage_upload(data=seed_bytes, filename="seed.txt", user=None)
    services.choose(staged, "缙氏镇", "new:town")
    services.edit_task(staged, 0, "lead_units", "发改委、财政局")
    services.edit_task(staged, 0, "deadline", "2023年6月30日")
    with pytest.raises(services.ImportProblem):
        services.edit_task(staged, 0, "deadline", "六月底")
    with pytest.raises(services.ImportProblem):
        services.edit_task(staged, 0, "text", "   ")
    with pytest.raises(services.ImportProblem):
        services.choose(staged, "缙氏镇", "unit:999999")
    with pytest.raises(services.ImportProblem):
        services.choose(staged, "不在通知里", "new:town")
    plan = services.commit(staged, None).plan
    task = plan.tasks.get(number="1")
    assert [a.name for a in task.assignments.filter(role="lead")] == ["发改委", "财政局"]
    assert task.deadline.isoformat() == "2023-06-30"


def test_a_staged_import_belongs_to_its_owner(seed_bytes: bytes) -> None:
    staged = services.stage_upload(data=seed_bytes, filename="seed.txt", user=None)
    with pytest.raises(staging.StagedImportMissing):
        staging.load(staged.token, 12345)
    with pytest.raises(staging.StagedImportMissing):
        staging.load("../../etc", None)


def test_a_revision_is_diffed_once_and_keeps_the_surviving_tasks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services.import_demo_plan()
    survivor = Task.objects.get(number="10")
    staged = services.stage_upload(data=revised_seed(), filename="revised.txt", user=None)
    services.choose(staged, "缙氏镇", f"unit:{Unit.objects.get(name='缑氏镇').pk}")
    calls = {"n": 0}
    real_diff_plan = ledger_services.diff_plan

    def counting_diff_plan(*args: object, **kwargs: object) -> ledger_services.PlanDiff:
        calls["n"] += 1
        return real_diff_plan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger_services, "diff_plan", counting_diff_plan)
    outcome = services.commit(staged, None)
    assert calls["n"] == 1
    assert outcome.applied and outcome.diff.summary()["removed"] == 1
    assert outcome.diff.summary()["changed"] == 1
    assert Task.objects.filter(pk=survivor.pk, number="10").exists()


def test_the_staged_parse_comes_back_as_it_was_kept(seed_bytes: bytes) -> None:
    staged = services.stage_upload(data=seed_bytes, filename="seed.txt", user=None)
    services.edit_task(staged, 0, "lead_units", "发改委、财政局")
    loaded = staging.load(staged.token, None)
    assert loaded.parsed == staged.parsed
    assert loaded.edits == {"0": {"lead_units": ["发改委", "财政局"]}}
    assert services.effective_parse(loaded).tasks[0]["lead_units"] == ["发改委", "财政局"]
