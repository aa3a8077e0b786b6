from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "qualityhub.directory"
    verbose_name = "Names from Coupa's Core API"
