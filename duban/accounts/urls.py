"""URL routes of duban.accounts: sign-in and sign-out, and user management (namespace
``accounts``, under /accounts/users/). Sign-in keeps its plain name ``login`` (LOGIN_URL)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

user_patterns = (
    [
        path("", views.user_list, name="users"),
        path("new", views.user_new, name="user_new"),
        path("<int:pk>/edit", views.user_edit, name="user_edit"),
        path("<int:pk>/active", views.user_active, name="user_active"),
        path("<int:pk>/password", views.user_password, name="user_password"),
    ],
    "accounts",
)

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("users/", include(user_patterns)),
]
