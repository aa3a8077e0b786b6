from django.urls import path

from qualityhub.ops.views import healthz

urlpatterns = [path("healthz", healthz, name="healthz")]
