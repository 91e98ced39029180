"""duban (督办): the key-work supervision ledger for local governments."""

__version__ = "0.1.0"
