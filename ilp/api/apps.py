from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ilp.api"
    label = "api"
