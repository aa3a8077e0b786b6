from django.urls import path

from qualityhub.spreadsheets import views

urlpatterns = [
    # The CSV's name and path are older than this app (bookmarks and scripts use them).
    path("inspections/export.csv", views.inspection_csv, name="inspection-export"),
    path("inspections/download.xlsx", views.inspection_xlsx, name="inspection-xlsx"),
    path("results/download.csv", views.result_csv, name="result-csv"),
    path("results/download.xlsx", views.result_xlsx, name="result-xlsx"),
]
