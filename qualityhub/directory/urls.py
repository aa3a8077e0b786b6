from django.urls import path

from qualityhub.directory import views

urlpatterns = [
    path("names/suppliers/", views.supplier_names, name="names-suppliers"),
    path("names/items/", views.item_names, name="names-items"),
    path("names/people/", views.person_names, name="names-people"),
    path("names/units/", views.unit_names, name="names-units"),
]
