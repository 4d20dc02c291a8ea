"""The project catalogue's generation: replaced whenever anything the project lists show changes.

Projects and their focus areas, plans (a plan approved or withdrawn publishes or hides its
projects), cities, member states and focus areas (names and codes), and partners (their
interests decide their recommendations). Cached pages of `/api/v1/projects/` are used only
while the generation they were made under is current.
"""

from ascn_portal.api.caching import Generation

CATALOGUE = Generation(
    "catalogue",
    (
        "action_plans.PriorityProject",
        "action_plans.ActionPlan",
        "cities.City",
        "cities.MemberState",
        "cities.FocusArea",
        "partners.Partner",
    ),
)
