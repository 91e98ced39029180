"""URL routes of duban.assessment (责任目标考核). Downloads carry ``/export/`` or ``/files/``
in their path (the Chinese-interface crawl leaves them alone)."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import downloads, scheme, units, year

app_name = "assessment"

urlpatterns: list[URLPattern] = [
    path("", year.year, name="year"),
    path("compute/", year.compute_year, name="compute"),
    path("<int:pk>/publicity/", year.open_publicity, name="open_publicity"),
    path("<int:pk>/publicity/withdraw/", year.withdraw_publicity, name="withdraw_publicity"),
    path("<int:pk>/publish/", year.publish, name="publish"),
    path("recognitions/new/", year.recognition_new, name="recognition_new"),
    path("recognitions/files/<int:pk>/", year.recognition_file, name="recognition_file"),
    path("units/<int:pk>/", units.unit_page, name="unit"),
    path("items/<int:pk>/", units.item_page, name="item"),
    path("items/<int:pk>/adjust/", units.item_adjust, name="item_adjust"),
    path("items/<int:pk>/appeal/", units.item_appeal, name="item_appeal"),
    path("appeals/<int:pk>/decide/", units.appeal_decide, name="appeal_decide"),
    path("adjustments/files/<int:pk>/", units.adjustment_file, name="adjustment_file"),
    path("appeals/files/<int:pk>/", units.appeal_file, name="appeal_file"),
    path("scheme/", scheme.scheme, name="scheme"),
    path("scheme/edit/", scheme.scheme_edit, name="scheme_edit"),
    path("scheme/v<int:version>/", scheme.scheme_version, name="scheme_version"),
    path("export/results.<str:fmt>", downloads.results_download, name="results_download"),
    path("export/units/<int:pk>.xlsx", downloads.unit_sheet, name="unit_sheet"),
]
