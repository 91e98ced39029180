"""The world's people by kind, for the permission matrices (tests/support/permissions.py).

In the seed, task 1 (“项目为王”, 863亿元) is led by 朱蕾 and 发改委, with 投促中心 and 各镇（街道）
responsible, so 缑氏镇 works on it through the group; task 3 (扩大项目投资) names 工信局 as a
responsible unit, which task 1 does not. 叶占芳 leads other tasks, not task 1; 档案馆 is in no task.
"""

from __future__ import annotations

import pytest

from tests.support.permissions import People, people_by_kind
from tests.support.world import World


@pytest.fixture
def people(world: World) -> People:
    return people_by_kind(world)
