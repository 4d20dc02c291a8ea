from rest_framework import pagination
from rest_framework.exceptions import ValidationError

PAGE_DESCRIPTION = (
    "A page number, from 1. Numbered pages are read one at a time: while the data changes between two "
    "requests, a row may come twice (on this page and the next) or never (skipped). To read a whole "
    "list as it changes, walk it with `cursor=` (where the list offers it), which gives each row once."
)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M`; page_size is capped at 500, and a malformed one answers 400."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({"page_size": [f"Give a whole number from 1 to {self.max_page_size}."]})
        return min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return raw
        if not raw.isdigit() or int(raw) < 1:
            raise ValidationError({"page": ["Give a page number from 1 up."]})
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["description"] = PAGE_DESCRIPTION
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Results per page, 1 to {self.max_page_size} (larger values give {self.max_page_size})."
                )
        return parameters

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "results"]
        return response


class SyncPagination(PageNumberPagination):
    """Page numbers, or cursor pages for a mirror (`updated_since=`, `cursor=`; see `api.sync`)."""

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {"name": "updated_since", "required": False, "in": "query",
             "schema": {"type": "string", "format": "date-time"},
             "description": "Only rows changed at or after this time (ISO 8601; without an offset, in your time "
                            "zone), with a tombstone for each row you saw that has left the list. Answers in "
                            "cursor pages. Older than removals are kept (400 days): the whole list, `full`."},
            {"name": "cursor", "required": False, "in": "query", "schema": {"type": "string"},
             "description": "The next cursor page of a walk (from `next`); empty starts a walk of the whole list. "
                            "A walk is in id order and stable while the data changes: no row comes twice and "
                            "none is skipped (a row changed behind the cursor comes in the next "
                            "`updated_since` sync), unlike numbered pages."},
        ]  # fmt: skip

    def get_paginated_response_schema(self, schema):
        from .sync import TOMBSTONE_SCHEMA

        response = super().get_paginated_response_schema(schema)
        response["required"] = ["results"]
        response["properties"]["results"] = {"type": "array", "items": {"oneOf": [schema["items"], TOMBSTONE_SCHEMA]}}
        response["properties"]["full"] = {
            "type": "boolean",
            "description": "Cursor pages: true when the walk is of the whole list (keep only the rows it gives).",
        }
        response["properties"]["next_updated_since"] = {
            "type": "string", "format": "date-time",
            "description": "Cursor pages: the `updated_since` of your next sync.",
        }  # fmt: skip
        return response
