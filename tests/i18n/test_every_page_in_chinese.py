"""Every page every demo account can reach by following links is in Chinese.

The crawl (tests/support/crawl.py) signs in as each account of ``duban demo`` on the demo year,
starts at the home page, follows every same-site link and reads each page as a person would;
it fails with (account, page, what) for English words, raw stored values, field names, ISO
dates and Python values, and for links that lead to an error.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from duban.core.permissions import Action
from duban.demo.accounts import DEMO_ACCOUNTS
from duban.ledger.models import Task
from duban.reporting.models import Report, ReviewState
from tests.support.crawl import USERNAME_PAGES, crawl, offences
from tests.support.demo import DemoYear

USERNAMES = [account.username for account in DEMO_ACCOUNTS]


def seeds(user: object) -> tuple[str, ...]:
    """Pages the crawl visits beyond its first few of each kind: the tasks (and reports) the
    person sees that are in the states worth reading — supervised, asked to be extended,
    inspected, returned, still a draft."""
    tasks = Task.objects.restrict(user, Action.VIEW)
    marked = tasks.filter(
        Q(supervision_notices__isnull=False)
        | Q(extension_requests__isnull=False)
        | Q(summonses__isnull=False)
        | Q(rectification_items__isnull=False)
        | Q(refinement__state__in=[ReviewState.RETURNED, ReviewState.DRAFT])
    ).distinct()
    pages = [reverse("ledger:task", args=[pk]) for pk in marked.values_list("pk", flat=True)]
    reports = Report.objects.restrict(user, Action.VIEW).exclude(state=ReviewState.ACCEPTED)
    for task_pk, period_pk in reports.values_list("task_id", "period_id")[:20]:
        pages.append(reverse("reporting:report", args=[task_pk, period_pk]))
    return tuple(pages)


@pytest.mark.parametrize("username", USERNAMES)
def test_every_page_is_chinese(year: DemoYear, username: str) -> None:
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    result = crawl(client, "/", seeds=seeds(user))
    accounts = frozenset(get_user_model().objects.values_list("username", flat=True))
    problems: dict[str, list[str]] = {}
    for page in result.pages:
        allowed = accounts if page.url.startswith(USERNAME_PAGES) else frozenset()
        for piece in page.text:
            for offence in offences(piece, allowed):
                # Each offending piece once, with the first page it is on and how many more.
                problems.setdefault(f"{offence} in {piece[:80]!r}", []).append(page.url)
    report = [f"{username} {urls[0]} (+{len(urls) - 1}): {what}" for what, urls in problems.items()]
    report += [f"{username} {url}: status {status}" for url, status in result.failures]
    assert len(result.pages) > 5, "the crawl hardly began"
    assert report == []


def test_the_sign_in_page_is_chinese(year: DemoYear) -> None:
    result = crawl(Client(), "/accounts/login/")
    assert result.pages and result.failures == []
    assert [o for page in result.pages for piece in page.text for o in offences(piece)] == []
