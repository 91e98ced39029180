"""Pages of duban.supervision: ``notices`` (notices, extension requests, 约谈 notes) and
``circulars`` (the quarterly 通报). 404 for what does not exist, 403 for what the user may not
see or do: the models' rules decide (``duban.supervision.models``)."""
