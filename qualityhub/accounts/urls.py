from django.urls import include, path

from qualityhub.accounts.views import ThrottledPasswordResetView

# Django's own: login, logout, password_change(_done), password_reset(_done|_confirm|_complete);
# the reset request itself is throttled (views.py).
urlpatterns = [
    path("accounts/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
]
