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
