"""The reporting app's forms: ``reports`` (periods, reports, contributions, the Excel import)
and ``refinement`` (a task's milestones and quarterly expected progress)."""
