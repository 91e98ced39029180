"""The one place where readers phrase what went wrong, so every format says it the same way.

Each function returns (never raises) an ``IntakeError``; callers ``raise`` it, which keeps the
raising line visible in tracebacks. Every msgid is preceded by its Chinese translation as a
``# zh:`` comment (``xgettext --add-comments=zh:`` picks it up); every message says what is
wrong and the hint says what to do about it.
"""

from __future__ import annotations

from duban.intake.errors import N_, IntakeError


def _formats_hint() -> str:
    # zh: 请将通知保存为以下格式之一后上传：PDF、Word（.docx）、网页（.html/.htm）、
    # Excel（.xlsx）、CSV（.csv）或纯文本（.txt/.md）。
    return N_(
        "Save the notice in one of these formats and upload it: PDF, Word (.docx), "
        "web page (.html/.htm), Excel (.xlsx), CSV (.csv) or plain text (.txt/.md)."
    )


def _mb(size: int) -> str:
    """Megabytes with at most one decimal, so that 20 MB reads '20' and not '20.0'."""
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def too_large(size: int, limit: int) -> IntakeError:
    return IntakeError(
        "too_large",
        # zh: 文件大小为 %(size)s MB，超过了可导入的上限 %(limit)s MB。
        N_("The file is %(size)s MB, larger than the %(limit)s MB that can be imported."),
        # zh: 请删除文件中嵌入的图片，或将通知拆分为几个较小的文件后重新上传。
        N_(
            "Remove embedded pictures or split the notice into smaller files, then upload it again."
        ),
        size=_mb(size),
        limit=_mb(limit),
    )


def zip_bomb(kind: str) -> IntakeError:
    """A package that would expand enormously when opened (duban.core.zipguard)."""
    return IntakeError(
        "zip_bomb",
        # zh: 该 %(kind)s 文件解压后会异常膨胀（可能是“压缩炸弹”或已损坏的文件），已拒绝读取。
        N_(
            "The %(kind)s file would expand to far more than its size when opened (a “zip "
            "bomb”, or a damaged file), so it was not read."
        ),
        # zh: 请用 Word、WPS 或 Excel 打开原文件并重新保存，然后上传新保存的文件。
        N_("Open the original in Word, WPS or Excel, save it again, and upload the new copy."),
        kind=kind,
    )


def empty() -> IntakeError:
    return IntakeError(
        "empty",
        # zh: 文件是空的，其中没有任何文字。
        N_("The file is empty: it contains no text."),
        # zh: 请确认选择的文件是否正确，然后上传通知原文。
        N_("Check that you chose the right file, and upload the notice itself."),
    )


def binary() -> IntakeError:
    return IntakeError(
        "binary",
        # zh: 该文件不是可读取的文档，无法从中识别出文字。
        N_("The file is not a document whose text can be read."),
        _formats_hint(),
    )


def legacy_doc() -> IntakeError:
    return IntakeError(
        "legacy_doc",
        # zh: 该文件是旧版 Word 或 WPS 文档（.doc 或 .wps），无法读取。
        N_("This is an old-format Word or WPS document (.doc or .wps), which cannot be read."),
        # zh: 请用 Word 或 WPS 打开该文件，选择“另存为”，保存为 .docx 格式，然后上传新文件。
        N_(
            "Open it in Word or WPS, choose “Save As”, pick the .docx format, "
            "and upload the new file."
        ),
    )


def legacy_xls() -> IntakeError:
    return IntakeError(
        "legacy_xls",
        # zh: 该文件是旧版 Excel 或 WPS 表格（.xls 或 .et），无法读取。
        N_("This is an old-format Excel or WPS spreadsheet (.xls or .et), which cannot be read."),
        # zh: 请用 Excel 或 WPS 打开该表格，选择“另存为”，保存为 .xlsx 格式，然后上传新文件。
        N_(
            "Open it in Excel or WPS, choose “Save As”, pick the .xlsx format, "
            "and upload the new file."
        ),
    )


def encrypted() -> IntakeError:
    return IntakeError(
        "encrypted",
        # zh: 该文件设置了密码保护，无法读取其内容。
        N_("The file is protected by a password, so its content cannot be read."),
        # zh: 请输入密码打开文件，取消密码保护（或另存一份不加密的副本），然后上传该副本。
        N_(
            "Open it with the password, remove the protection (or save an unprotected copy), "
            "and upload that copy."
        ),
    )


def scanned_pdf() -> IntakeError:
    return IntakeError(
        "scanned_pdf",
        # zh: 该 PDF 只有页面图片（扫描件），没有可读取的文字。
        N_("The PDF contains only pictures of its pages (a scan), with no text that can be read."),
        # zh: 请获取通知的 Word 版或文字版，或先用 OCR 文字识别软件转换该 PDF，再上传转换结果。
        N_(
            "Obtain the Word or text version of the notice, or convert the PDF with OCR "
            "text recognition first."
        ),
    )


def corrupt(kind: str) -> IntakeError:
    """``kind`` is a format name such as ``Word (.docx)``: the same in every language."""
    return IntakeError(
        "corrupt",
        # zh: 该 %(kind)s 文件已损坏或不完整，无法打开。
        N_("The %(kind)s file is damaged or incomplete and cannot be opened."),
        # zh: 请先确认该文件能在电脑上正常打开，重新保存或重新下载后再上传。
        N_(
            "Check that it opens on your computer, save or download it again, "
            "and upload the new copy."
        ),
        kind=kind,
    )


def unsupported_type(kind: str = "") -> IntakeError:
    """``kind`` is an extension or format name (``.pptx``, ``PNG``) when one is known."""
    if not kind:
        return IntakeError(
            "unsupported_type",
            # zh: 不支持导入此类文件。
            N_("Files of this type cannot be imported."),
            _formats_hint(),
        )
    return IntakeError(
        "unsupported_type",
        # zh: 不支持导入此类文件（%(kind)s）。
        N_("Files of this type (%(kind)s) cannot be imported."),
        _formats_hint(),
        kind=kind,
    )
