"""The base of every spreadsheet the admin reads and writes, and the export through the one writer."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import QuerySet
from import_export import resources, widgets

from ascn_portal.exports import FORMULA_STARTS, Column
from ascn_portal.numbers import to_decimal, to_integer

RAW_WIDGETS = (widgets.IntegerWidget, widgets.DecimalWidget, widgets.FloatWidget, widgets.DateWidget)


class DayWidget(widgets.DateWidget):
    """A calendar day: ISO text from CSV, or the date (or midnight datetime) a spreadsheet cell holds."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        return super().clean(value, row, **kwargs)


class DecimalWidget(widgets.DecimalWidget):
    """A decimal cell read by the portal's one number parser (`ascn_portal.numbers`)."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            return to_decimal(value, max_digits=None, decimal_places=None, grouping=True)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None  # import-export names the column


class IntegerWidget(widgets.IntegerWidget):
    """A whole-number cell read by the portal's one number parser."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            return to_integer(value, grouping=True)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None


class PortalResource(resources.ModelResource):
    """A model's rows as a spreadsheet. Every row is checked like a form would check it; a save is
    recorded in the row's history with who imported it and from which file."""

    key = ""  # set by registry.register
    required_headers: tuple[str, ...] = ()  # columns a file must have (the import's id columns at least)

    def __init__(self, *, by=None, file_name: str = "", progress: Callable[[int], None] | None = None):
        super().__init__()
        self.by, self.file_name, self.progress = by, file_name, progress
        self._saved: dict[bool, list] = {True: [], False: []}  # created?, rows saved: their history comes in bulk

    class Meta:
        skip_diff = True  # unchanged rows are found by `skip_row` below, without copying each instance
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        skip_html_diff = True
        store_row_values = True
        use_transactions = True

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return DayWidget
        if isinstance(f, models.DecimalField):
            return DecimalWidget
        if isinstance(f, models.IntegerField):
            return IntegerWidget
        return super().widget_from_django_field(f, default)

    def before_import_row(self, row, **kwargs):
        """Cells as a person meant them: trimmed, and without the apostrophe the export put before
        text that a spreadsheet would otherwise run as a formula (so an export imports unchanged)."""
        for name, value in row.items():
            if isinstance(value, str):
                value = value.strip()
                if len(value) > 1 and value[0] == "'" and value[1] in "".join(FORMULA_STARTS):
                    value = value[1:]
                row[name] = value

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_original = None if new else self._values(instance)

    @staticmethod
    def _values(instance) -> dict:
        return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing row whose every field and listed relation is as the file says is left alone."""
        before = getattr(instance, "_import_original", None)
        if import_validation_errors or before is None or self._values(instance) != before:
            return False
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                wanted = sorted(obj.pk for obj in field.clean(row))
                if wanted != sorted(getattr(instance, field.attribute).values_list("pk", flat=True)):
                    return False
        return True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """As the model's full_clean, without asking the database again whether the related rows the
        widgets just found exist (a query per row and relation)."""
        errors = dict(import_validation_errors or {})
        found = [f.name for f in instance._meta.concrete_fields
                 if f.many_to_one and getattr(instance, f.attname) is not None]  # fmt: skip
        try:
            instance.clean_fields(exclude=[*errors, *found])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            if validate_unique:
                instance.validate_unique(exclude=list(errors))
            instance.validate_constraints(exclude=list(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        instance.skip_history_when_saving = True  # written for all rows at the end, in bulk
        instance._created_by_import = instance._state.adding

    def after_save_instance(self, instance, row, **kwargs):
        del instance.skip_history_when_saving
        if not kwargs.get("dry_run") and hasattr(type(instance), "history"):
            self._saved[instance._created_by_import].append(instance)

    def after_import(self, dataset, result, **kwargs):
        """Each row written gets its history record: who imported it, from which file."""
        super().after_import(dataset, result, **kwargs)
        if kwargs.get("dry_run"):
            return
        model = self._meta.model
        reason = f"Imported from {self.file_name}"[:100]
        for created, objs in self._saved.items():
            if objs:
                model.history.bulk_history_create(objs, batch_size=500, update=not created, default_user=self.by,
                                                  default_change_reason=reason)  # fmt: skip

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress is not None:
            self.progress(kwargs.get("row_number", 0))

    # Export ----------------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        return [Column(header) for header in self.get_export_headers()]

    def rows(self, queryset: QuerySet) -> Iterator[list]:
        """One list of cells per object, read in chunks: numbers and dates stay numbers and dates."""
        fields = self.get_export_fields()
        for obj in queryset.iterator(chunk_size=1000):
            yield [self._cell(field, obj) for field in fields]

    def _cell(self, field, obj):
        if isinstance(field.widget, RAW_WIDGETS) and not hasattr(self, f"dehydrate_{field.column_name}"):
            value = field.get_value(obj)
            if not isinstance(value, datetime.datetime):
                return value
        return self.export_field(field, obj)

    def export_queryset(self, queryset: QuerySet) -> QuerySet:
        """What the export reads with each row (select_related/prefetch_related): override per resource."""
        return queryset


class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related row by one of its fields (a member state by code, a city by slug), each value looked
    up once per file: a file of thousands of rows names the same few dozen."""

    def __init__(self, model, field="pk", **kwargs):
        super().__init__(model, field=field, **kwargs)
        self._found = {}

    def clean(self, value, row=None, **kwargs):
        key = value.strip() if isinstance(value, str) else value
        if key in self._found:
            return self._found[key]
        try:
            found = super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"No {self.model._meta.verbose_name} {key!r}.") from None
        if found is not None:
            self._found[key] = found
        return found


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Several related rows in one cell (e.g. focus areas by slug, separated by semicolons); a value
    that names nothing is an error, never dropped."""

    def __init__(self, model, field="pk", separator=";", **kwargs):
        super().__init__(model, separator=separator, field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        if value:
            asked = {v.strip() for v in str(value).split(self.separator) if v.strip()}
            known = {str(v) for v in found.values_list(self.field, flat=True)}
            unknown = sorted(asked - known)
            if unknown:
                raise ValueError(f"No {self.model._meta.verbose_name} {', '.join(map(repr, unknown))}.")
        return found


class EmailPersonWidget(widgets.ForeignKeyWidget):
    """A person by email address, found or made by `person_for(email, full_name)` (the accounts
    layer's, passed in by the resource); the row's `full_name` names a newcomer."""

    def __init__(self, model, person_for, name_column: str = "full_name"):
        super().__init__(model, field="email")
        self.person_for, self.name_column = person_for, name_column

    def clean(self, value, row=None, **kwargs):
        email = (value or "").strip().lower()
        if not email:
            raise ValueError("Give the person's email address.")
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"{email!r} is not an email address.") from None
        return self.person_for(email, ((row or {}).get(self.name_column) or "").strip())
