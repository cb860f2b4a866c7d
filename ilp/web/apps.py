from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "ilp.web"
    label = "web"
