"""Helpers the tests share: test files import them from here, never from a conftest.

- ``world``: the demo's people and data (``build_world``) and the persona helpers;
- ``browser``: signing in with a real browser (``sign_in``);
- ``files``: real PNG, PDF and Word files, and uploads;
- ``reporting``, ``refinement``, ``excel``: what the reporting stories post and read back;
- ``notices``: the seed notice and a revised one, for the import stories;
- ``receivers``: a local SMTP server and robot webhook, for the notification stories;
- ``clock``: days in Shanghai time;
- ``factories``: a small synthetic Yanshi (for the scaling tests that need 10 or 60 tasks);
- ``directory``: the directory forms as a browser posts them;
- ``keys``: comparing a parse with an answer key;
- ``demo``: the demo year (``duban demo``), built once for a package of tests;
- ``crawl``: following every link a person can follow, and what on a page is not Chinese.
"""
