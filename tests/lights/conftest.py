"""The reporting stories' seed (build_story) and its fixtures, for the lights."""

from __future__ import annotations

from tests.reporting_reports.conftest import Story, build_story, media, signed_in, story

__all__ = ["Story", "build_story", "media", "signed_in", "story"]
