"""The base of every spreadsheet the admin reads and writes, and the export through the one writer."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from import_export import resources, widgets

from ascn_portal.exports import FORMULA_STARTS, Column
from ascn_portal.numbers import to_decimal, to_integer

RAW_WIDGETS = (widgets.IntegerWidget, widgets.DecimalWidget, widgets.FloatWidget, widgets.DateWidget)


class ImportStopped(Exception):  # noqa: N818 - not an error of a row: the whole import ends
    """Raised inside an import to end it at once (e.g. cancelled): the transaction rolls back and the
    job takes `state` with `message`."""

    def __init__(self, state: str, message: str):
        super().__init__(message)
        self.state, self.message = state, message


STOPS = (ImportStopped, SoftTimeLimitExceeded)  # they end the import, never one row's error


class CellError(ValueError):
    """What is wrong with one cell, in words a person reads (the column is named where it is shown)."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message, self.column = message, column


def shown(value) -> str:
    """A cell's value as quoted in a message: as typed, cut if long."""
    text = "" if value is None else str(value)
    return f"“{text[:60]}…”" if len(text) > 60 else f"“{text}”"


def cell_message(widget, value) -> str:
    """Why a widget refused a cell, with the form it expects, whatever the widget raised."""
    value = shown(value)
    if isinstance(widget, widgets.DecimalWidget | widgets.FloatWidget):
        return _("%(value)s is not a number (expected a decimal like 13.7563)") % {"value": value}
    if isinstance(widget, widgets.IntegerWidget):
        return _("%(value)s is not a whole number (expected digits only, like 2024)") % {"value": value}
    if isinstance(widget, widgets.DateTimeWidget):
        return _("%(value)s is not a date and time (expected YYYY-MM-DD HH:MM, like 2026-01-31 09:30)") % {
            "value": value
        }
    if isinstance(widget, widgets.DateWidget):
        return _("%(value)s is not a date (expected YYYY-MM-DD, like 2026-01-31)") % {"value": value}
    if isinstance(widget, widgets.TimeWidget):
        return _("%(value)s is not a time (expected HH:MM, like 09:30)") % {"value": value}
    if isinstance(widget, widgets.BooleanWidget):
        return _("%(value)s is not yes or no (expected TRUE or FALSE)") % {"value": value}
    if isinstance(widget, widgets.ForeignKeyWidget | widgets.ManyToManyWidget):
        return _("%(value)s names no %(thing)s (expected a %(thing)s's %(key)s)") % {
            "value": value, "thing": widget.model._meta.verbose_name, "key": widget.field,
        }  # fmt: skip
    return _("%(value)s cannot be read in this column") % {"value": value}


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
            raise CellError(cell_message(self, value)) from error


class IntegerWidget(widgets.IntegerWidget):
    """A whole-number cell read by the portal's one number parser."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            return to_integer(value, grouping=True)
        except ValidationError as error:
            raise CellError(cell_message(self, value)) from error


class YesNoWidget(widgets.BooleanWidget):
    """Yes or no, as 1/0, TRUE/FALSE or yes/no; anything else is an error, never read as "no"."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "yes", "Yes", "YES"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "no", "No", "NO"]

    def clean(self, value, row=None, **kwargs):
        if value in self.NULL_VALUES or value in self.TRUE_VALUES or value in self.FALSE_VALUES:
            return super().clean(value, row, **kwargs)
        raise CellError(_("%(value)s is not yes or no (expected TRUE or FALSE)") % {"value": shown(value)})


class PortalResource(resources.ModelResource):
    """A model's rows as a spreadsheet. Every row is checked like a form would check it; a save is
    recorded in the row's history with who imported it and from which file."""

    key = ""  # set by registry.register

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

    def required_columns(self) -> list[str]:
        """The columns a file must have, read from the resource itself: those that find a row again
        (the import's id columns), and those without which every new row would be refused (the model
        requires a value and has no default, or the widget needs one, like a person's email)."""
        ids = set(self._meta.import_id_fields or ())
        model = self._meta.model
        required = []
        for field in self.get_import_fields():
            if field.readonly:
                continue
            if field.column_name in ids or field.attribute in ids or isinstance(field.widget, EmailPersonWidget):
                required.append(field.column_name)
                continue
            try:
                model_field = model._meta.get_field((field.attribute or "").split("__")[0])
            except Exception:  # not a model field: the resource fills it
                continue
            plain = model_field.concrete and not model_field.many_to_many and not model_field.auto_created
            if plain and not model_field.blank and not model_field.has_default() and not model_field.null:
                required.append(field.column_name)
        return required

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            return DayWidget
        if isinstance(f, models.DecimalField):
            return DecimalWidget
        if isinstance(f, models.IntegerField):
            return IntegerWidget
        if isinstance(f, models.BooleanField):
            return YesNoWidget
        return super().widget_from_django_field(f, default)

    def before_import_row(self, row, **kwargs):
        """Cells as a person meant them: trimmed, and without the apostrophe the export put before
        text that a spreadsheet would otherwise run as a formula (so an export imports unchanged)."""
        self._row = row
        for name, value in row.items():
            if isinstance(value, str):
                value = value.strip()
                if len(value) > 1 and value[0] == "'" and value[1] in "".join(FORMULA_STARTS):
                    value = value[1:]
                row[name] = value

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A cell the widget cannot read is an error naming what the column expects: widgets raise
        whatever their parser raises (`decimal.InvalidOperation`, a lookup's DoesNotExist...)."""
        try:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        except STOPS:
            raise
        except CellError as error:
            raise CellError(error.message, field.column_name) from error
        except ValidationError as error:  # a parser that words its own refusal (e.g. the portal's numbers)
            raise CellError(" ".join(error.messages), field.column_name) from error
        except Exception as error:
            raise CellError(cell_message(field.widget, row.get(field.column_name)), field.column_name) from error

    def import_instance(self, instance, row, **kwargs):
        """Every cell is read before the row is judged, lists of related rows too (django-import-export
        reads those only when saving), so a refused row shows all its errors at once."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except STOPS:
                    raise
                except CellError as problem:
                    errors.setdefault(field.attribute, []).append(ValidationError(problem.message))
                except Exception:
                    message = cell_message(field.widget, row.get(field.column_name))
                    errors.setdefault(field.attribute, []).append(ValidationError(message))
        if errors:
            raise ValidationError(errors)

    def get_instance(self, instance_loader, row):
        """Finding the row again reads its id columns first. One that cannot be read makes the row a
        new one here, so that every column is then read and each error named with its column (the
        unreadable id among them): the row is refused, never written."""
        try:
            return super().get_instance(instance_loader, row)
        except STOPS:
            raise
        except Exception:
            return None

    def validate_instance_choices(self, errors: dict, row) -> dict:
        """A code that is not one of a field's choices: say which codes are (Django's own message
        quotes the value as Python would)."""
        for name in list(errors):
            try:
                model_field = self._meta.model._meta.get_field(name)
            except Exception:
                continue
            base = getattr(model_field, "base_field", model_field)  # a list of codes in one cell
            if not base.choices:
                continue
            column = next((f.column_name for f in self.get_import_fields() if f.attribute == name), name)
            codes = ", ".join(str(code) for code, _label in base.flatchoices)
            errors[name] = [ValidationError(
                _("%(value)s is not one of the codes (expected one of: %(codes)s)")
                % {"value": shown((row or {}).get(column)), "codes": codes}
            )]  # fmt: skip
        return errors

    def import_row(self, row, instance_loader, **kwargs):
        """django-import-export keeps any exception of a row as that row's error and goes on; a cancel
        or the worker's time limit must end the whole import instead."""
        row_result = super().import_row(row, instance_loader, **kwargs)
        for error in row_result.errors:
            if isinstance(error.error, STOPS):
                raise error.error
        return row_result

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
        widgets just found exist (a query per row and relation). A row whose cells have errors is
        judged on its columns only: the fields the resource fills itself are left unfilled then."""
        errors = dict(import_validation_errors or {})
        found = [f.name for f in instance._meta.concrete_fields
                 if f.many_to_one and getattr(instance, f.attname) is not None]  # fmt: skip
        if errors:
            columns = {f.attribute.split("__")[0] for f in self.get_import_fields() if f.attribute and not f.readonly}
            found += [f.name for f in instance._meta.concrete_fields if f.name not in columns]
        try:
            instance.clean_fields(exclude=[*errors, *found])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:  # the row is refused already: its cells' errors say why, without rules across fields
            raise ValidationError(self.validate_instance_choices(errors, getattr(self, "_row", None)))
        try:
            if validate_unique:
                instance.validate_unique(exclude=list(errors))
            instance.validate_constraints(exclude=list(errors))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(self.validate_instance_choices(errors, getattr(self, "_row", None)))

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
        except (self.model.DoesNotExist, self.model.MultipleObjectsReturned):
            raise CellError(cell_message(self, key)) from None
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
                raise CellError(
                    _("%(values)s name no %(thing)s (expected %(thing)s %(key)ss separated by “%(separator)s”)")
                    % {"values": ", ".join(map(shown, unknown)), "thing": self.model._meta.verbose_name,
                       "key": self.field, "separator": self.separator}
                )  # fmt: skip
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
            raise CellError(_("The person's email address is missing (expected e.g. name@example.org)"))
        try:
            validate_email(email)
        except ValidationError:
            raise CellError(
                _("%(value)s is not an email address (expected e.g. name@example.org)") % {"value": shown(email)}
            ) from None
        return self.person_for(email, ((row or {}).get(self.name_column) or "").strip())
