"""How a unit or leader name is compared: as people read it, not byte for byte.

Notices write 各镇（街道） and 各镇(街道), "法 院" and 法院; a directory lookup must treat them
as one name. Plain Python, shared by the models, the import and the parser's directory.
"""

from __future__ import annotations

import re
import unicodedata


def name_key(name: str) -> str:
    """The form names are stored and compared under (NFKC, no whitespace)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))
