"""Listening to what the workflows announce (``duban.core.events.happened``) in a test.

``with heard() as events:`` connects a receiver for the block and gives the list it fills:
each entry is the ``Event`` and whether the database was inside a transaction when it came
(``Heard.in_transaction``: meaningful in a transactional test, where the test itself opens none).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection

from duban.core.events import Event, happened


@dataclass(frozen=True)
class Heard:
    event: Event
    in_transaction: bool


class Events(list[Heard]):
    def kinds(self) -> list[str]:
        return [heard.event.kind for heard in self]

    def of(self, kind: str) -> list[Event]:
        return [heard.event for heard in self if heard.event.kind == kind]

    def one(self, kind: str) -> Event:
        [event] = self.of(kind)
        return event


@contextmanager
def heard() -> Iterator[Events]:
    events = Events()

    def receive(sender: Any, event: Event, **kwargs: Any) -> None:
        events.append(Heard(event, connection.in_atomic_block))

    happened.connect(receive, weak=False, dispatch_uid=f"test-heard-{id(events)}")
    try:
        yield events
    finally:
        happened.disconnect(dispatch_uid=f"test-heard-{id(events)}")
