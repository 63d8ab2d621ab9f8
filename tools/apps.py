from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "tools"
    verbose_name = "Ontwikkelhulpmiddelen (demo, generator, benchmarks)"
