"""URL routes of duban.accounts: sign-in and sign-out, and user management (namespace
``accounts``, under /accounts/users/). Sign-in keeps its plain name ``login`` (LOGIN_URL)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import signin, token_views, views

user_patterns = (
    [
        path("", views.user_list, name="users"),
        path("new", views.user_new, name="user_new"),
        path("<int:pk>/edit", views.user_edit, name="user_edit"),
        path("<int:pk>/active", views.user_active, name="user_active"),
        path("<int:pk>/password", views.user_password, name="user_password"),
        path("<int:pk>/unlock", views.user_unlock, name="user_unlock"),
        path("unlock-address", views.address_unlock, name="address_unlock"),
    ],
    "accounts",
)
# One's own access tokens for the API (访问令牌, docs/api.md): /accounts/tokens/.
token_patterns = (
    [
        path("", token_views.token_list, name="list"),
        path("<int:pk>/revoke", token_views.token_revoke, name="revoke"),
    ],
    "tokens",
)

urlpatterns = [
    path(
        "login/",
        signin.SignInView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One's own password (also where a sign-in owing a new password leads: passwords.py).
    path("password/", views.password_change, name="password_change"),
    path("users/", include(user_patterns)),
    path("tokens/", include(token_patterns)),
    # The second factor: the code at sign-in, set-up, one's own page, a reset (twofactor/).
    path("2fa/", include("duban.accounts.twofactor.urls")),
]
