"""Start-up refuses a notification kind that could not be shown: each registered kind needs every
one of its templates (`Kind.PARTS`), or the first person it tells meets an error page."""

from django.core.checks import Error, register
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template

from .kinds import KINDS


@register()
def kinds_have_their_templates(app_configs=None, **kwargs) -> list[Error]:
    errors = []
    for kind in KINDS.values():
        for part in kind.PARTS:
            name = kind.template(part)
            try:
                get_template(name)
            except TemplateDoesNotExist:
                errors.append(
                    Error(
                        f"The notification kind {kind.key!r} has no template {name}.",
                        hint="Write it (templates/notifications/kinds/<kind>/), or do not register the kind.",
                        obj=kind.key,
                        id="notifications.E001",
                    )
                )
            except TemplateSyntaxError as error:
                errors.append(
                    Error(f"The template {name} of the kind {kind.key!r} does not compile: {error}",
                          obj=kind.key, id="notifications.E002")
                )  # fmt: skip
    return errors
