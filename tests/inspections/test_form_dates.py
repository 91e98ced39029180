"""The inspection form's date pickers show the dates they hold, in Chinese as in English.

``<input type="date">`` accepts only ISO values; a date written in the locale's format
(2023/8/15) leaves the picker empty, and saving the form then loses the date."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from duban.inspections.forms import InspectionForm
from duban.ledger.models import Task


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_date_inputs_carry_iso_values(db, language):
    with translation.override(language):
        form = InspectionForm(
            initial={"starts_on": date(2023, 8, 15), "ends_on": date(2023, 9, 1)},
            tasks=Task.objects.none(),
        )
        html = str(form["starts_on"]) + str(form["ends_on"])
    assert 'value="2023-08-15"' in html
    assert 'value="2023-09-01"' in html
    assert 'type="date"' in html
