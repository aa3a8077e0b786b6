from django.urls import path

from qualityhub.notes import views
from qualityhub.ui import converters  # noqa: F401  (registers <id:...>)

urlpatterns = [
    path("inspections/<id:coupa_id>/notes/", views.note_write, name="note-write"),
    path("inspections/<id:coupa_id>/notes/people/", views.note_people, name="note-people"),
]
