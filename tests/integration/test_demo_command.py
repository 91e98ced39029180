"""`duban demo --empty`: the Yanshi directory and one account per role, printed, and safe to run
again; the bare import without the demo year. The year itself: tests/demo/."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from duban.accounts.models import Membership, Role
from duban.demo.accounts import DEMO_ACCOUNTS
from duban.demo.management.commands import demo as demo_command
from duban.directory.models import Group, Leader, Unit

USERNAMES = [account.username for account in DEMO_ACCOUNTS]


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--empty", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def users_and_names() -> list[tuple[str, str]]:
    return list(get_user_model().objects.values_list("username", "first_name"))


def printed_password(output: str, username: str = "office") -> str:
    return next(line for line in output.splitlines() if line.startswith(f"{username} ")).split()[-1]


@pytest.mark.django_db
def test_demo_prints_account_role_password_and_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    output = run_demo()
    assert "用户名" in output and "角色" in output and "单位或领导" in output and "密码" in output
    assert "督查室管理员" in output
    assert "http://127.0.0.1:8000" in output
    assert len(printed_password(output)) == 12


@pytest.mark.django_db
def test_demo_prints_one_row_per_account_with_its_unit_or_leader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    rows = {line.split()[0]: line.split() for line in run_demo().splitlines() if line.strip()}
    assert rows["office"][1:3] == ["督查室管理员", "督查室"]
    assert rows["zhulei"][1:3] == ["领导", "朱蕾"]
    assert rows["fgw"][1:3] == ["单位联络员", "发改委"]
    assert rows["goushi"][1:3] == ["单位联络员", "缑氏镇"]
    assert rows["gongxin"][1:3] == ["单位联络员", "工信局"]
    assert rows["chaxun"][1:3] == ["查阅人员", "—"]
    assert rows["xitong"][1:3] == ["系统管理员", "—"]
    assert rows["anquan"][1:3] == ["安全管理员", "—"]
    assert rows["shenji"][1:3] == ["审计管理员", "—"]
    assert set(rows) >= set(USERNAMES)
    assert len({row[-1] for name, row in rows.items() if name in USERNAMES}) == 1


@pytest.mark.django_db
def test_demo_loads_the_directory_and_gives_each_account_its_place(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    run_demo()
    assert Unit.objects.filter(kind__in=["town", "street"]).count() == 13
    assert not Unit.objects.filter(name="缙氏镇").exists()
    office_unit = Unit.objects.get(name="督查室")
    assert (office_unit.full_name, office_unit.kind) == ("洛阳市偃师区人民政府督查室", "department")
    places = {
        m.user.username: (m.role, m.unit and m.unit.name, m.leader and m.leader.name)
        for m in Membership.objects.select_related("user", "unit", "leader")
    }
    assert places == {
        "office": ("office", "督查室", None),
        "zhulei": ("leader", None, "朱蕾"),
        "fgw": ("unit_operator", "发改委", None),
        "goushi": ("unit_operator", "缑氏镇", None),
        "gongxin": ("unit_operator", "工信局", None),
        "chaxun": ("viewer", None, None),
        "xitong": ("system_admin", None, None),
        "anquan": ("security_admin", None, None),
        "shenji": ("audit_admin", None, None),
    }
    # One account per role: the demo shows every kind of user.
    assert {role for role, _unit, _leader in places.values()} == set(Role.values)
    names = dict(users_and_names())
    assert (names["office"], names["zhulei"], names["fgw"]) == ("刘芳", "朱蕾", "王强")
    users = get_user_model().objects
    assert users.filter(is_active=True).count() == len(USERNAMES)
    assert not users.filter(is_staff=True).exists()  # no demo account is staff or superuser
    assert not users.filter(is_superuser=True).exists()


@pytest.mark.django_db
def test_demo_is_idempotent_and_resets_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    first = printed_password(run_demo())
    counts = (Unit.objects.count(), Group.objects.count(), Leader.objects.count())
    output = run_demo()
    second = printed_password(output)
    assert (Unit.objects.count(), Group.objects.count(), Leader.objects.count()) == counts
    users = get_user_model().objects.filter(username="office")
    assert users.count() == 1
    office = users.get()
    assert not office.is_superuser and not office.is_staff  # an ordinary office account
    assert office.check_password(second)
    assert first == second or not office.check_password(first)
    for username in USERNAMES:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(printed_password(output, username))
    assert get_user_model().objects.count() == len(USERNAMES) == 9
    assert Membership.objects.count() == 9


@pytest.mark.django_db
def test_demo_uses_the_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUBAN_DEMO_PASSWORD", "Chosen-by-the-clerk-9")
    output = run_demo()
    for username in USERNAMES:
        assert printed_password(output, username) == "Chosen-by-the-clerk-9"
        user = get_user_model().objects.get(username=username)
        assert user.check_password("Chosen-by-the-clerk-9")


@pytest.mark.django_db
def test_demo_keeps_the_offices_own_changes_to_the_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The office swapped 交通局 and its alias; a re-run must neither fail nor undo that."""
    monkeypatch.delenv("DUBAN_DEMO_PASSWORD", raising=False)
    run_demo()
    transport = Unit.objects.get(name="交通局")
    transport.aliases.all().delete()
    transport.name = "交通运输局"
    transport.save()
    transport.aliases.create(name="交通局")
    err = io.StringIO()
    call_command("demo", "--empty", stdout=io.StringIO(), stderr=err)
    assert "未重新载入演示名录" in err.getvalue()
    assert not Unit.objects.filter(name="交通局").exists()
    assert get_user_model().objects.get(username="fgw").membership.unit.name == "发改委"


@pytest.mark.django_db
def test_demo_serves_the_seed_ledger_once(settings: object, tmp_path: object) -> None:
    from duban.ledger.models import Plan

    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    first = run_demo()
    run_demo()
    plan = Plan.objects.get()
    assert (plan.tasks.count(), plan.areas.count(), plan.imports.count()) == (98, 10, 1)
    assert plan.imports.get().imported_by.username == "office"
    assert "98项任务" in first
    task17 = plan.tasks.get(number="17")
    assert "缑氏镇" in [a.name for a in task17.assignments.all()]


@pytest.mark.django_db
def test_demo_empty_is_the_bare_import_without_the_year() -> None:
    from duban.inspections.models import Inspection
    from duban.ledger.models import Plan
    from duban.reporting.models import Contribution, PeriodState, Refinement, Report
    from duban.supervision.models import Circular, Notice

    output = run_demo()
    assert "演示年度" not in output
    plan = Plan.objects.get()
    assert not Report.objects.exists()
    assert not Refinement.objects.exists()
    assert not Contribution.objects.exists()
    assert not Notice.objects.exists() and not Circular.objects.exists()
    assert not Inspection.objects.exists()
    assert set(plan.periods.values_list("state", flat=True)) == {PeriodState.PLANNED}
    assert get_user_model().objects.count() == len(USERNAMES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-13-01", "不是日期"),
        ("15.8.2023", "不是日期"),
        ("2024-08-15", "演示年度为2023年"),
        ("2024-04-01", "请选择2023年1月1日至2024年3月31日之间的日期"),
        ("2022-12-31", "请选择2023年1月1日至2024年3月31日之间的日期"),
    ],
)
def test_demo_refuses_a_bad_date_and_changes_nothing(value: str, message: str) -> None:
    from django.core.management.base import CommandError

    from duban.ledger.models import Plan

    with pytest.raises(CommandError, match=message):
        call_command("demo", "--date", value, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Plan.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "today", "shown"),
    [
        (["--date", "2024-01-20"], None, dt.date(2024, 1, 20)),
        (["--date", "2024-03-31"], None, dt.date(2024, 3, 31)),
        ([], "2024-01-20", dt.date(2024, 1, 20)),  # DUBAN_TODAY within the demo dates
        ([], "2024-05-01", dt.date(2023, 8, 15)),  # outside them: the default
    ],
)
def test_demo_builds_up_to_any_date_to_the_end_of_march_2024(
    monkeypatch: pytest.MonkeyPatch,
    settings: pytest.FixtureRequest,
    args: list[str],
    today: str | None,
    shown: dt.date,
) -> None:
    """The finished year (2024-01-20) and the quarter after it may be chosen; the year itself
    (tests/demo/) is not built again here: the builder is only asked for its date."""
    asked: list[dt.date] = []

    def build_year(plan: object, until: dt.date) -> int:
        asked.append(until)
        return 1931

    monkeypatch.setattr(demo_command, "build_year", build_year)
    settings.DUBAN_TODAY = dt.date.fromisoformat(today) if today else None  # type: ignore[attr-defined]
    out = io.StringIO()
    call_command("demo", *args, stdout=out, stderr=io.StringIO())
    assert asked == [shown]
    printed = out.getvalue()
    assert (
        f"已生成截至{shown.year}年{shown.month}月{shown.day}日的演示年度数据，共1931步。" in printed
    )
    assert all(username in printed for username in USERNAMES)
