"""Pages of the year-end assessment (责任目标考核): the year (``year``), a unit's score and its
items, adjustments and appeals (``units``), the scheme (``scheme``) and the downloads
(``downloads``). Every action goes through ``duban.assessment.services``; who may see and do
what is the models' rule, asked through ``@requires``, ``restrict`` and ``can`` (404 for what
does not exist, 403 for what the person may not see or do)."""
