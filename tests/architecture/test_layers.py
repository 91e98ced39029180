"""The house rules that a reviewer would otherwise have to remember (docs/architecture.md).

- Only duban.accounts reads a role: everything else asks duban.core.permissions.
- No import inside a function to dodge a cycle: the only imports below module level are in an
  app's ``ready()`` (models load only once the app registry is ready) and under
  ``TYPE_CHECKING``.
- The layers themselves are import-linter's contract (pyproject.toml, ``make lint``); this test
  runs it too, so a broken layer fails the suite, not only the linter.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

DUBAN = Path(__file__).resolve().parents[2] / "duban"
# Role.OFFICE, membership__role=…, user.membership.role, get_role_display, the staff and
# superuser flags.
ROLE_READS = re.compile(r"\bRole\b|membership__role|membership\.(get_)?role|is_superuser|is_staff")


# The demo gives its demo accounts their roles (it writes roles, it never asks one).
ASSIGNS_ROLES = {Path("demo/management/commands/demo.py"), Path("demo/accounts.py")}


def _sources() -> list[Path]:
    """Every module and template outside duban/accounts (migrations are history)."""
    return [
        path
        for pattern in ("*.py", "*.html", "*.txt")
        for path in DUBAN.rglob(pattern)
        if "migrations" not in path.parts
        and path.relative_to(DUBAN).parts[0] != "accounts"
        and path.relative_to(DUBAN) not in ASSIGNS_ROLES
    ]


def test_only_accounts_reads_roles() -> None:
    offenders = []
    for path in _sources():
        relative = path.relative_to(DUBAN)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if ROLE_READS.search(code):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def _function_imports(tree: ast.AST) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            elif isinstance(child, ast.ImportFrom | ast.Import) and function is not None:
                names = (
                    [child.module or ""]
                    if isinstance(child, ast.ImportFrom)
                    else [alias.name for alias in child.names]
                )
                relative = isinstance(child, ast.ImportFrom) and child.level > 0
                if function != "ready" and (relative or any(n.startswith("duban") for n in names)):
                    found.append((function, child.lineno))
            else:
                visit(child, function)

    visit(tree, None)
    return found


def test_no_function_level_imports_of_duban() -> None:
    offenders = []
    for path in DUBAN.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function, line in _function_imports(tree):
            offenders.append(f"{path.relative_to(DUBAN)}:{line} in {function}()")
    assert offenders == []


def test_import_contracts_hold() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"],
        cwd=DUBAN.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


# Pure logic: plain modules that a script, a benchmark or another project can use without a
# configured Django (docs/architecture.md). They import nothing of Django, nor any duban module
# that does.
PURE = [
    *sorted((DUBAN / "intake" / "parsing").glob("*.py")),
    DUBAN / "ledger" / "progress.py",
    DUBAN / "lights" / "rules.py",
    DUBAN / "supervision" / "escalation.py",
    DUBAN / "core" / "workdays.py",
    DUBAN / "assessment" / "scheme.py",
    DUBAN / "assessment" / "scoring.py",
]


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_pure_modules_import_no_django() -> None:
    pure = {str(p.relative_to(DUBAN.parent).with_suffix("")).replace("/", ".") for p in PURE}
    found = []
    for path in PURE:
        for name in _imported(path):
            if name == "django" or name.startswith("django."):
                found.append(f"{path.relative_to(DUBAN)} imports {name}")
            elif name.startswith("duban.") and name not in pure:
                found.append(f"{path.relative_to(DUBAN)} imports {name}, which is not pure")
    assert len(PURE) > 5 and not found, found
