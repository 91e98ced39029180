"""The API's operations, one module per part of duban: the ledger, reports, notices, figures."""
