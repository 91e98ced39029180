"""Pages of the quarterly reporting cycle: periods, reports, contributions, files.

Views read the request, ask ``duban.accounts.permissions.can``, call the services
(``periods``, ``reports``, ``reports_contributions``, ``reports_import``) and render.
"""
