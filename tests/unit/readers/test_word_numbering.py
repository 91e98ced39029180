"""Number formats Word offers for lists, as a Chinese notice shows them."""

from __future__ import annotations

import pytest

from duban.intake.readers.word_numbering import format_number


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "decimal", "1"),
        (3, "chineseCounting", "三"),
        (10, "chineseCounting", "十"),
        (21, "chineseCountingThousand", "二十一"),
        (105, "chineseCounting", "一百零五"),
        (110, "japaneseCounting", "一百一十"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (21, "decimalEnclosedCircleChinese", "㉑"),
        (4, "decimalEnclosedParen", "⑷"),
        (28, "lowerLetter", "bb"),
        (2, "upperLetter", "B"),
        (14, "lowerRoman", "xiv"),
        (9, "upperRoman", "IX"),
        (7, "decimalZero", "07"),
        (12, "decimalFullWidth", "１２"),
        (5, "someFormatNobodyUses", "5"),
    ],
)
def test_format_number(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown
