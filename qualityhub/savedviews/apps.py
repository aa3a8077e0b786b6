from django.apps import AppConfig


class SavedViewsConfig(AppConfig):
    name = "qualityhub.savedviews"
    label = "savedviews"
    verbose_name = "Saved views of the lists"
