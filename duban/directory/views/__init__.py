"""Directory pages: units, leaders and groups; everyone reads them, the office edits them."""
