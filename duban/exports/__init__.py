"""Documents duban writes for people to keep and pass on: spreadsheets, Word and PDF.

Writers take plain data and return bytes: no request, no database, so they are fast to test and
usable from the command line. Strings are marked with ``N_`` and translated by the caller
(but ``pdf.PdfUnavailable``, whose message is translated where it is raised).
``ledger_xlsx``, ``report_template_xlsx`` and ``official_docx`` import nothing of Django; the PDF
writers (``official_pdf``, ``progress_summary``) render templates of their own
(``templates/exports/``) with Django's template engine, through WeasyPrint (``pdf.py``,
docs/documents.md).

What a caller fills is plain data in modules that import no document library (``official``,
``progress_summary_model``, ``report_template_model``, and ``xlsx``'s text helpers); the writers
import openpyxl or python-docx, so the apps hold them as ``LazyModule`` (duban/core/lazy.py)
and the served processes load those libraries for the first file written, not at start-up.
"""
