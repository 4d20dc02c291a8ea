"""The published-project catalogue in the API: `/api/v1/projects/`, with a partner's recommendations."""

import csv
import io
from array import array

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers, viewsets
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.response import Response

from action_plans import selectors
from action_plans.catalogue import CATALOGUE
from action_plans.filtersets import PriorityProjectFilterSet
from action_plans.models import PriorityProject
from ascn_portal import exports
from ascn_portal.api.caching import MAX_CACHED_PAGE, cached_page, cached_value
from ascn_portal.api.compiled import Compiled
from ascn_portal.api.pagination import SyncPagination
from ascn_portal.api.renderers import JSONRenderer
from ascn_portal.api.sync import SyncedListMixin, sync_requested
from ascn_portal.converters import ID_PATTERN
from ascn_portal.filtering import CountedRows
from partners.offices import partner_ids_of
from partners.services import partners_of

from ..matchmaking import Interests, recommended_for
from .serializers import PriorityProjectListSerializer, PriorityProjectSerializer, project_list_items


class CSVRenderer(renderers.BaseRenderer):
    """CSV (`?format=csv` or `Accept: text/csv`). The list itself is streamed whole by the view
    (`PriorityProjectViewSet.export`); this renders what else answers as CSV: errors, one project."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    left_out = {"kpis", "url", "description", "match", "partnerships"}

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data.get("results", data) if isinstance(data, dict) else data
        if isinstance(rows, dict):  # an error body: one row of its fields
            rows = [rows]
            columns = list(rows[0])
        else:
            view = (renderer_context or {}).get("view")
            columns = [c for c in view.get_serializer().fields if c not in self.left_out] if view else []
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)  # even an empty answer has its header, so the file is never empty
        for row in rows:
            writer.writerow([exports.neutralise(row.get(column)) for column in columns])
        return ("\ufeff" + buffer.getvalue()).encode(self.charset)


# What is never kept in the cache (see PriorityProjectViewSet._cache_query).
UNCACHED_FILTERS = ("q", "min_cost", "max_cost")


def FACTS_SECONDS() -> int:  # noqa: N802  read when asked: tests change the setting
    return settings.API_CATALOGUE_FACTS_SECONDS


CACHED_PAGE_SIZES = {"", "10", "20", "25", "50", "100", "200", "500"}


@extend_schema_view(
    retrieve=extend_schema(
        summary="Read a project",
        description="One priority project with its description, KPIs and partnerships by stage.",
    ),
)
class PriorityProjectViewSet(SyncedListMixin, viewsets.ReadOnlyModelViewSet):
    """Priority projects: published ones (approved plan, open to partners) for everyone.

    Filter with `member_state=TH`, `city=bangkok`, `focus_area=<slug>`, `stage=pipeline`,
    `support=financing`, `min_cost`, `max_cost` (USD) and `q`; `?format=csv` exports the whole
    filtered list (not one page), safe to open in a spreadsheet. `updated_since=` gives what changed
    (a project's own change or its plan's), with tombstones for projects that left your list.
    List items carry what partners sort and filter by; a project's own page adds its description,
    KPIs and partnerships by stage.
    """

    lookup_value_regex = ID_PATTERN  # an id out of range is a 404, not a database error

    serializer_class = PriorityProjectSerializer
    filterset_class = PriorityProjectFilterSet
    ordering_fields = ["estimated_cost_usd", "title", "starts_on", "updated_at"]
    ordering = list(selectors.CATALOGUE_ORDER)
    renderer_classes = [JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]
    pagination_class = SyncPagination
    sync_resource = "projects"
    sync_changed = ("updated_at", "plan__updated_at")

    def get_queryset(self):
        projects = selectors.projects_visible_to(self.request.user)
        self.interests = None
        if self.action == "list" and self._recommended():
            self.interests = Interests.of_first(partners_of(self.request.user))
            if self.interests is None:
                self._not_a_partner()
            projects = recommended_for(projects.filter(selectors.PUBLISHED_Q), self.interests)
            self.ordering = ["-match_score", "-id"]  # best first, unless `ordering` says otherwise
        if self.action == "retrieve":
            projects = projects.prefetch_related("partnerships")
        return projects

    def sync_visibility(self):
        return selectors.project_visibility(self.request.user)

    def sync_rows(self, queryset):
        return selectors.project_list_values(queryset)

    def sync_items(self, rows):
        return project_list_items(rows, self.request)

    def get_serializer_class(self):
        return PriorityProjectListSerializer if self.action == "list" else PriorityProjectSerializer

    def _recommended(self) -> bool:
        value = self.request.query_params.get("recommended", "false").lower()
        if value not in ("true", "false", "1", "0"):
            raise ValidationError({"recommended": ["Use true or false."]})
        return value in ("true", "1")

    def _not_a_partner(self):
        """Recommendations are a partner's: anonymous, sign in (401, with the challenge); signed in for no
        partner, a 403."""
        message = _("Recommendations are for a partner's contacts; sign in with a partner's token.")
        if not self.request.user.is_authenticated:
            raise NotAuthenticated(message)
        raise PermissionDenied(message)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "interests": getattr(self, "interests", None)}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "recommended", bool, required=False,
                description="For a partner's contact: the projects that fit the partner's interests, best first, "
                "each with its `match` (score and reasons). Without a sign-in a 401; signed in for no partner a 403.",
            )
        ]
    )  # fmt: skip
    def list(self, request, *args, **kwargs):
        if sync_requested(request) and request.accepted_renderer.format != "csv" and not self._recommended():
            return super().list(request, *args, **kwargs)  # recommendations are ranked pages, not synced
        audience = selectors.project_audience(request.user)
        if self._recommended():
            partner_ids = sorted(partner_ids_of(request.user))
            if not partner_ids:
                self._not_a_partner()
            audience = "partners:" + ",".join(map(str, partner_ids))  # one partner's interests decide the page
        if request.accepted_renderer.format == "csv":
            return self.export()
        if request.accepted_renderer.format == "api":
            audience = None  # the browsable page shows pagination controls the cached data does not carry
        self._audience = audience
        query = self._cache_query(request) if audience else None  # reads no table
        data = cached_page(request, generation=CATALOGUE, scope=audience, build=self._page, query=query)
        return Response(data)

    def _cache_query(self, request):
        """This request's filters, page and ordering, as a normalised key of its cached page: only
        parameters the list knows (unknown ones do not make new pages), sorted. Free text and amounts
        (`q`, `min_cost`, `max_cost`), far pages and unusual page sizes are not kept, so what the cache
        holds is bounded by the list's enumerable filters. Values are as sent: a bad one answers 400,
        which is never kept. None: do not keep this page."""
        params = request.query_params
        if any(params.get(name) for name in UNCACHED_FILTERS):
            return None
        page, size = params.get("page", "1"), params.get("page_size", "")
        if not page.isdigit() or not 1 <= int(page) <= MAX_CACHED_PAGE or size not in CACHED_PAGE_SIZES:
            return None
        known = [*self.filterset_class.base_filters, "ordering", "recommended", "format"]
        query = [(name, value) for name in sorted(known) for value in params.getlist(name) if value != ""]
        return [*query, ("page", str(int(page))), ("page_size", size)]

    def _page(self) -> dict:
        query = self._facts_query(self.request)
        if query == [("recommended", "true")]:
            return self._ranked_page()
        projects = self.filter_queryset(self.get_queryset())
        interests = self.interests

        def values():
            return selectors.project_list_values(projects, focus_area_ids=interests is not None)

        if query is None:  # free text, amounts or the reader's own drafts: counted as asked
            rows = self.paginate_queryset(values())
        else:
            count = cached_value(CATALOGUE, ("count", self._audience, query), projects.count, FACTS_SECONDS())
            page = Compiled(values, ("projects", self._audience, tuple(query), interests is not None))
            rows = self.paginate_queryset(CountedRows(count, lambda start, stop: page[start:stop]))
        return self.get_paginated_response(project_list_items(rows, self.request, interests)).data

    def _facts_query(self, request):
        """The list's filters and ordering, normalised, when what it derives from the whole catalogue
        may be kept (see `cached_value`); None otherwise."""
        params = request.query_params
        if self._audience is None or any(params.get(name) for name in UNCACHED_FILTERS):
            return None
        known = [*self.filterset_class.base_filters, "ordering", "recommended"]
        query = [(name, value) for name in sorted(known) for value in params.getlist(name) if value != ""]
        return [(name, "true" if name == "recommended" else value) for name, value in query]

    def _ranked_page(self) -> dict:
        """A partner's recommendations, ranked once per catalogue generation: the partner's interests and
        the ids best first are kept, and a page reads its rows by id, in that order. Only a miss builds
        the scoring query (`get_queryset`)."""
        user = self.request.user
        interests = cached_value(
            CATALOGUE, ("interests", self._audience), lambda: Interests.of_first(partners_of(user)), FACTS_SECONDS()
        )
        if interests is None:
            self._not_a_partner()

        def ranking() -> bytes:
            projects = self.filter_queryset(self.get_queryset())
            return array("I", projects.values_list("pk", flat=True)).tobytes()

        ids = array("I")
        ids.frombytes(cached_value(CATALOGUE, ("ranking", self._audience, repr(interests)), ranking, FACTS_SECONDS()))

        def fetch(start, stop):
            # The ids were ranked among what this reader sees, in this generation: read them as they are.
            wanted = ids[start:stop].tolist()
            page = selectors.project_list_values(PriorityProject.objects.filter(pk__in=wanted), focus_area_ids=True)
            found = {row["id"]: row for row in page}
            return [found[pk] for pk in wanted if pk in found]

        rows = self.paginate_queryset(CountedRows(len(ids), fetch))
        return self.get_paginated_response(project_list_items(rows, self.request, interests)).data

    EXPORT_BATCH = 500

    def export(self):
        """The whole filtered list as CSV, streamed: a batch of rows at a time, whatever its length."""
        # Bad filters, and a page or page size that is not one, answer 400 here, before streaming; the
        # file holds the whole list whatever page was asked.
        self.paginator.get_page_size(self.request)
        self.paginator.get_page_number(self.request, None)
        projects = self.filter_queryset(self.get_queryset())
        interests = self.interests
        values = selectors.project_list_values(projects, focus_area_ids=interests is not None)
        columns = [name for name in PriorityProjectListSerializer().fields if name not in CSVRenderer.left_out]

        def rows():
            batch = []
            for row in values.iterator(chunk_size=self.EXPORT_BATCH):
                batch.append(row)
                if len(batch) == self.EXPORT_BATCH:
                    yield from (
                        [item[c] for c in columns] for item in project_list_items(batch, self.request, interests)
                    )
                    batch = []
            yield from ([item[c] for c in columns] for item in project_list_items(batch, self.request, interests))

        return exports.csv_response("ascn-projects.csv", [exports.Column(c) for c in columns], rows())
