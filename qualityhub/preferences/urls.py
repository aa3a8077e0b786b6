from django.urls import path

from qualityhub.preferences import views

urlpatterns = [
    path("preferences/columns/", views.list_columns, name="preferences-columns"),
    path("preferences/language/", views.choose_language, name="preferences-language"),
]
