"""The assessment workflows (责任目标考核), one module per topic; pages, commands and jobs call
them alike:

- ``schemes``: the current scheme and its next version;
- ``record``: the facts of a year read from the record (reports, lights, notices, circulars,
  findings, extensions, recognitions), each with its source;
- ``compute``: scores and items from the facts (``compute`` stores them, ``assess_plan`` only
  reads);
- ``workflow``: adjust, publicity, appeals, publish, recognitions;
- ``results``: what a person may see of a year's scores.
"""

from __future__ import annotations


class AssessmentError(ValueError):
    """What the person asked cannot be done; the message says why, in their language."""
