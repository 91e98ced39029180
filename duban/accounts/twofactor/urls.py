"""Routes of the second factor (namespace ``twofactor``), under /accounts/2fa/."""

from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("verify/", views.verify, name="verify"),
    path("setup/", views.setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("off/", views.turn_off, name="off"),
    path("reset/<int:pk>/", views.reset, name="reset"),
]
