"""Coded fields (a stage, a state, a kind, a role) hold one of their codes, or the database refuses the write.

A field's `choices` are checked by forms, serializers and `full_clean()`, but not by `update()`, a
bulk insert, a data migration or SQL by hand. `CodeCheck` is the same list as a CHECK constraint,
named `<app>_<model>_<field>_valid`:

    constraints = [CodeCheck(field="stage", codes=ProjectStage)]

`codes` is the field's choices (a `TextChoices` or a list of values); `blank=True` adds the empty
code; `many=True` is an array of codes (each one a code). `full_clean()` checks it in Python, so
validating a record costs no query.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CodeCheck(models.CheckConstraint):
    def __init__(self, *, field: str, codes, blank: bool = False, many: bool = False, name: str | None = None):
        values = [getattr(code, "value", code) for code in (codes.values if hasattr(codes, "values") else codes)]
        self.field, self.many, self.blank = field, many, blank
        self.codes = sorted({*values, *([""] if blank else [])})
        condition = Q(**{f"{field}__contained_by" if many else f"{field}__in": self.codes})
        super().__init__(
            condition=condition,
            name=name or f"%(app_label)s_%(class)s_{field}_valid",
            violation_error_message=_("This is not one of the field's codes."),
        )

    def deconstruct(self):
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        kwargs = {"field": self.field, "codes": self.codes, "name": self.name}
        if self.many:
            kwargs["many"] = True
        return path, (), kwargs

    def validate(self, model, instance, exclude=None, using=None):
        if exclude and self.field in exclude:
            return
        value = getattr(instance, model._meta.get_field(self.field).attname)
        values = (value or []) if self.many else [value]
        if any(code is not None and code not in self.codes for code in values):
            raise ValidationError(self.get_violation_error_message(), code=self.violation_error_code)
