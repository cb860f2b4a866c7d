from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ilp.demo"
    label = "demo"
