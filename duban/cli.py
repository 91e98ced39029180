"""The ``duban`` command: Django's manage.py, with an overview an office can read.

``duban <command>`` runs the management command of that name exactly as manage.py would.
``duban`` alone and ``duban help`` list only the product's own commands, in Chinese and
English, instead of Django's long list of framework internals.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from duban import __version__
from duban.core.formatting import format_table

USAGE_ERROR = 2

_COMMANDS = [
    ("parse FILE", "读取通知文件，列出重点任务", "read a notice and list its key tasks"),
    ("import FILE", "把通知导入台账（修订版显示差异后更新）", "import a notice into the ledger"),
    ("directory load FILE", "导入单位名录（单位、别名、领导）", "load a unit directory file"),
    ("periods list|create|open|close", "设置、开启、关闭报送周期", "reporting periods"),
    ("reports template|import", "报送模板下载、Excel导入", "report templates, Excel import"),
    ("remind [--dry-run]", "发送到期提醒（可由 cron 定时运行）", "send the due reminders"),
    (
        "assess YEAR [--json] [--as-of DATE]",
        "计算年度责任目标考核得分、排名和等次",
        "year-end assessment: scores, ranks, grades",
    ),
    ("worker [--once]", "后台发送通知的工作进程", "background notification sender"),
    ("files clean [--delete]", "列出无记录引用的上传文件（--delete 删除）", "orphan uploads"),
    ("backup [DIR]", "备份数据库、上传文件和密钥（带校验清单）", "back up database and files"),
    ("restore FILE", "把备份恢复到空的数据目录和数据库", "restore a backup into an empty install"),
    ("serve [--dev]", "启动网页服务（gunicorn；--dev 开发服务器）", "start the web server"),
    ("migrate", "创建或升级数据库", "create or upgrade the database"),
    ("demo", "载入演示名录和台账，创建演示账号并显示密码", "demo directory, ledger and accounts"),
    ("check", "检查配置是否正确", "check the configuration"),
    (
        "admin create|list|reset-password|unlock",
        "系统、安全、审计管理员账号（只在服务器上创建）",
        "administrator accounts (server only)",
    ),
    ("twofactor list|reset NAME", "查看、重置账号的两步验证", "two-factor sign-in of the accounts"),
    (
        "audit verify|export|verify-archive",
        "校验审计日志哈希链；导出、校验签名归档",
        "check the audit chain; export and check signed archives",
    ),
    ("help COMMAND", "查看某个命令的选项", "options of one command"),
    ("help --all", "全部 Django 管理命令", "every Django management command"),
]


def overview() -> str:
    rows = [[f"  duban {name}", zh, en] for name, zh, en in _COMMANDS]
    return "\n".join(
        [
            "督办 duban — 重点工作督办台账 / key-task supervision ledger",
            "",
            "用法 usage: duban <命令 command> [选项 options]",
            "",
            format_table(rows),
            "",
            "配置见 README.md（DUBAN_* 环境变量）/ configuration: DUBAN_* variables, README.md",
        ]
    )


def _django_args(args: list[str]) -> list[str] | None:
    """Translate our help conventions to Django's; None means: print the overview."""
    if not args or args in (["help"], ["-h"], ["--help"]):
        return None
    if args == ["help", "--all"]:
        return ["help"]
    return args


# Commands that read a file and print, using neither the database nor any other app, start
# light: the settings, the logging and their own app only, not every app's models and ready()
# (about 0.35 s), so that `duban parse notice.txt` takes under 0.3 s as a whole process
# (docs/configuration.md, "Start-up time"). The name maps to the app that holds the command.
STANDALONE_COMMANDS = {"parse": "duban.intake"}


def _setup_standalone(app: str) -> None:
    """``django.setup()`` for a standalone command: the same settings and logging, and an app
    registry of ``app`` alone (translations, which need a ready registry, come from
    LOCALE_PATHS).

    Django's own setup installs its DEFAULT_LOGGING before settings.LOGGING; its mail_admins
    handler imports django.views and with it the ORM (~60 ms). settings.LOGGING replaces all a
    console command would use of it (the "django" logger's handlers), so only that is applied.
    """
    from django.apps import apps
    from django.conf import settings
    from django.utils.module_loading import import_string

    if settings.LOGGING_CONFIG:
        logging.captureWarnings(True)
        import_string(settings.LOGGING_CONFIG)(settings.LOGGING)
    apps.populate([app])


def _django_admin_enabled() -> bool:
    """A Django superuser is of use only on Django's admin site, when that is turned on."""
    from django.conf import settings

    return bool(getattr(settings, "DJANGO_ADMIN", False))


def main(argv: Sequence[str] | None = None) -> int:
    args = _django_args(list(sys.argv[1:] if argv is None else argv))
    if args is None:
        print(overview())
        return 0
    if args == ["--version"]:
        import django

        print(f"duban {__version__} (Django {django.get_version()})")
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "duban.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line, get_commands, load_command_class

    name = args[1] if args[0] == "help" and len(args) > 1 else args[0]
    standalone = STANDALONE_COMMANDS.get(args[0])
    try:
        if standalone:
            _setup_standalone(standalone)
        else:
            django.setup()
    except ImproperlyConfigured as exc:
        print(f"duban: configuration error / 配置错误: {exc}", file=sys.stderr)
        return 1

    if name == "createsuperuser" and not _django_admin_enabled():
        print(
            "duban: createsuperuser is not how duban makes administrators; no role is a Django "
            "superuser. Run 'duban admin create ROLE NAME' (system_admin, security_admin, "
            "audit_admin).\n"
            "duban：createsuperuser 不是督办创建管理员的方式，任何角色都不是超级用户。"
            "请运行 duban admin create 角色 用户名（系统管理员、安全管理员、审计管理员）。",
            file=sys.stderr,
        )
        return USAGE_ERROR
    if (
        not standalone
        and name != "help"
        and not name.startswith("-")
        and name not in get_commands()
    ):
        print(
            f"duban: unknown command / 未知命令 '{name}'. Run 'duban help' / 请运行 duban help",
            file=sys.stderr,
        )
        return USAGE_ERROR

    try:
        if standalone:
            load_command_class(standalone, args[0]).run_from_argv(["duban", *args])
        else:
            execute_from_command_line(["duban", *args])
    except Exception:
        # A command that fails unexpectedly (cron's `duban remind`, `duban worker`) is never
        # silent: its traceback goes to standard error and the log file (settings.LOGGING).
        logging.getLogger("duban.command").exception("duban %s failed", " ".join(args))
        return 1
    return 0
