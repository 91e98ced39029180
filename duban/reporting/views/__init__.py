"""The reporting app's pages: ``refinement`` (a task's refinement), ``periods``, ``reports``
(one task's report for one period), ``contributions``, ``files`` (evidence, the Excel template
and its import) and ``todo`` (待办); ``common`` is what the report pages share.

Views read the request, ask ``duban.core.permissions`` (``check``, ``@requires``, the models'
``restrict``), call the services (``refinement``, ``periods``, ``reports``,
``reports_contributions``, ``reports_import``) and render.
"""
