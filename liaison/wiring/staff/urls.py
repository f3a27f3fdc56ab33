"""/staff/: every staff page, under the ``staff`` namespace."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from liaison.wiring.staff import passwords, two_factor, views

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", two_factor.StaffLoginView.as_view(), name="login"),
    path("login/code/", two_factor.code, name="two-factor-code"),
    path("two-factor/", two_factor.enrol, name="two-factor"),
    path("password/", two_factor.PasswordChangeView.as_view(), name="password-change"),
    path("password/reset/", passwords.reset_request, name="password-reset"),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="staff:login"), name="logout"),
    path("", include("stations.staff.urls")),
    path("", include("suggestions.cases.staff.urls")),
    path("", include("suggestions.proposals.staff.urls")),
    path("", include("duty.staff.urls")),
    path("", include("projects.staff.urls")),
    path("", include("liaison.wiring.imports.urls")),
    path("", include("figures.urls")),
    path("", include("workarea.urls")),
]
