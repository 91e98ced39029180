"""Extension requests (延期申请): only before the due date, approved or refused by the office."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from duban.audit.models import AuditEvent
from duban.ledger.models import Task
from duban.reporting.models import Milestone, Refinement
from duban.supervision.models import ExtensionRequest, ExtensionState
from duban.supervision.services import notices as services
from tests.support.clock import SHANGHAI
from tests.support.world import World, signed_in


def at(day: date) -> time_machine.travel:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def task(world: World) -> Task:
    task = world.task("1")
    task.deadline = date(2023, 6, 30)
    task.save()
    return task


@pytest.fixture
def milestone(task: Task) -> Milestone:
    refinement = Refinement.objects.create(task=task)
    return Milestone.objects.create(
        refinement=refinement, position=1, description="完成项目集中开工", due_on=date(2023, 5, 31)
    )


def test_request_and_approve_deadline(client: Client, world: World, task: Task) -> None:
    with at(date(2023, 6, 1)):
        world.as_unit("发改委", client)
        response = client.post(
            reverse("supervision:extension_new", args=[task.pk]),
            {"milestone": "", "requested_due": "2023-09-30", "reason": "用地审批尚未完成。"},
        )
        assert response.status_code == 302
        request = ExtensionRequest.objects.get()
        assert request.current_due == date(2023, 6, 30)
        assert request.state == ExtensionState.PENDING
        page = client.get(reverse("ledger:task", args=[task.pk])).content.decode()
        assert f'data-extension="{request.pk}"' in page
        assert reverse("supervision:extension_decide", args=[request.pk]) not in page

        office = Client()
        world.as_office(office)
        page = office.get(reverse("ledger:task", args=[task.pk])).content.decode()
        assert reverse("supervision:extension_decide", args=[request.pk]) in page
        response = office.post(
            reverse("supervision:extension_decide", args=[request.pk]),
            {"approve": "", "comment": "同意延期。"},
        )
        assert response.status_code == 302
    task.refresh_from_db()
    request.refresh_from_db()
    assert task.deadline == date(2023, 9, 30)
    assert request.state == ExtensionState.APPROVED
    assert request.current_due == date(2023, 6, 30)  # the old date is kept
    history = AuditEvent.objects.filter(task_id=task.pk, object_type="ledger.task")
    assert any((e.after or {}).get("deadline") == "2023-09-30" for e in history)
    assert (
        AuditEvent.objects.filter(
            task_id=task.pk, object_type="supervision.extensionrequest"
        ).count()
        == 2
    )


def test_only_before_the_due_date(world: World, task: Task, milestone: Milestone) -> None:
    # the milestone's own day: too late
    with at(date(2023, 5, 31)), pytest.raises(services.SupervisionError):
        services.request_extension(
            task=task,
            milestone=milestone,
            requested_due=date(2023, 6, 15),
            reason="x",
            user=world.fgw,
        )
    with at(date(2023, 7, 1)), pytest.raises(services.SupervisionError):
        services.request_extension(
            task=task,
            milestone=None,
            requested_due=date(2023, 9, 30),
            reason="x",
            user=world.fgw,
        )
    with at(date(2023, 5, 30)):
        with pytest.raises(services.SupervisionError):  # the new date must be later
            services.request_extension(
                task=task,
                milestone=milestone,
                requested_due=date(2023, 5, 20),
                reason="x",
                user=world.fgw,
            )
        made = services.request_extension(
            task=task,
            milestone=milestone,
            requested_due=date(2023, 6, 15),
            reason="设备到货延迟。",
            user=world.fgw,
        )
        with pytest.raises(services.SupervisionError):  # one pending request per date
            services.request_extension(
                task=task,
                milestone=milestone,
                requested_due=date(2023, 6, 20),
                reason="x",
                user=world.fgw,
            )
        services.decide_extension(request=made, approve=True, user=world.office)
    milestone.refresh_from_db()
    assert milestone.due_on == date(2023, 6, 15)
    task.refresh_from_db()
    assert task.deadline == date(2023, 6, 30)


def test_refuse_needs_a_comment(client: Client, world: World, task: Task) -> None:
    with at(date(2023, 6, 1)):
        made = services.request_extension(
            task=task,
            milestone=None,
            requested_due=date(2023, 8, 31),
            reason="资金未到位。",
            user=world.fgw,
        )
        with pytest.raises(services.SupervisionError):
            services.decide_extension(request=made, approve=False, user=world.office)
        world.as_office(client)
        response = client.post(
            reverse("supervision:extension_decide", args=[made.pk]),
            {"refuse": "", "comment": "理由不充分，按原时限完成。"},
        )
        assert response.status_code == 302
    made.refresh_from_db()
    task.refresh_from_db()
    assert made.state == ExtensionState.REFUSED
    assert made.comment == "理由不充分，按原时限完成。"
    assert task.deadline == date(2023, 6, 30)
    with pytest.raises(services.SupervisionError):  # decided once
        services.decide_extension(request=made, approve=True, user=world.office)


def test_who_may_request_and_decide(client: Client, world: World, task: Task) -> None:
    with at(date(2023, 6, 1)):
        for user in (world.goushi, world.gongxin, world.zhulei, world.office):
            with pytest.raises(PermissionDenied):
                services.request_extension(
                    task=task,
                    milestone=None,
                    requested_due=date(2023, 8, 31),
                    reason="x",
                    user=user,
                )
        made = services.request_extension(
            task=task,
            milestone=None,
            requested_due=date(2023, 8, 31),
            reason="x",
            user=world.chenjing,
        )
        for user in (world.fgw, world.zhulei, world.gongxin):
            signed_in(client, user)
            url = reverse("supervision:extension_decide", args=[made.pk])
            assert client.post(url, {"approve": ""}).status_code == 403
        world.as_unit("工信局", client)
        assert client.get(reverse("supervision:extension_new", args=[task.pk])).status_code == 403
