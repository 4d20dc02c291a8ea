from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .filtersets import PartnerFilterSet


def partner_list(request):
    partners = selectors.partners_visible_to(request.user)
    filterset = PartnerFilterSet(request.GET, queryset=partners)
    valid = filterset.is_valid()
    results = filterset.qs if valid else partners.none()
    page = Paginator(results.order_by("kind", "name"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/partner_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "may_see_contacts": request.user.has_perm("accounts.view_contact_details"),
        },
        status=200 if valid else 400,
    )
