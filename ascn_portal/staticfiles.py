"""Static files as the portal collects them: the API documentation's ReDoc bundle is left out. The
portal serves Swagger UI only, and ReDoc's bundle names a logo on a third-party host."""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
