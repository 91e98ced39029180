"""Every DUBAN_* variable settings.py reads is documented in the README's table."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented() -> None:
    settings_source = (REPO / "duban" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env_\w+\(\s*"(DUBAN_\w+)"', settings_source))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(DUBAN_\w+)`", readme, flags=re.MULTILINE))
    assert read, "no DUBAN_* variables found in settings.py"
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_parse_command_options_and_warning_codes_are_documented() -> None:
    from django.core.management import load_command_class

    from duban.intake.parsing.result import MESSAGES

    parsing = (REPO / "docs" / "parsing.md").read_text(encoding="utf-8")
    parser = load_command_class("duban.intake", "parse").create_parser("duban", "parse")
    own = {"--json", "--directory", "--language"}
    options = {o for action in parser._actions for o in action.option_strings} & own
    assert options == own
    assert all(option in parsing for option in options)
    assert [code for code in MESSAGES if f"`{code}`" not in parsing] == []
