from django.urls import include, path

# Django's own: login, logout, password_change(_done), password_reset(_done|_confirm|_complete).
urlpatterns = [path("accounts/", include("django.contrib.auth.urls"))]
