from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site-wide pieces above every app: home page, dashboards, the policy, reference and demo data."""

    name = "ascn_portal.site"
    label = "portal_site"
    verbose_name = "Portal"

    def ready(self):
        from ascn_portal import policy  # noqa: F401  registers the portal's rules
