"""The REST API (/api/v1/, docs/api.md): the ledger, reports, notices and figures for other
systems, under the same permission rule and through the same services as the pages."""
