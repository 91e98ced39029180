"""The reporting workflows, one module per topic: pages, commands and jobs call them alike."""
