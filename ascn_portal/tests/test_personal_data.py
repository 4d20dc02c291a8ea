"""Emails and phones in public texts: found in the shapes the ten member states write them, never in the
figures plans are full of, and warned about wherever a public text is declared."""

import re

import pytest
from django.utils import translation

from action_plans.models import ProjectKPI
from action_plans.tests.factories import draft_plan, project
from ascn_portal.personal_data import EMAIL, PHONE, PUBLIC_TEXTS, find_personal_data, kinds_in, mask_personal_data
from events.tests.test_admin import _bangkok_workshop_form

# What officers write, as they write it: each member state's international and national shapes.
PHONES = [
    ("Brunei", "+673 222 3456"), ("Brunei", "+673-876-5432"), ("Brunei", "Tel: 222 3456"),
    ("Cambodia", "+855 12 345 678"), ("Cambodia", "+855 (0)23 123 456"), ("Cambodia", "012 345 678"),
    ("Cambodia", "023 123 456"),
    ("Indonesia", "+62 812-3456-7890"), ("Indonesia", "+62 (0)21 1234 5678"), ("Indonesia", "0812-3456-7890"),
    ("Indonesia", "(021) 1234 5678"), ("Indonesia", "0812.3456.7890"),
    ("Laos", "+856 20 5555 1234"), ("Laos", "020 5555 1234"), ("Laos", "021 212 345"),
    ("Malaysia", "+60 12-345 6789"), ("Malaysia", "+603-2161 1234"), ("Malaysia", "012-345 6789"),
    ("Malaysia", "03-2161 1234"),
    ("Myanmar", "+95 9 123 456 789"), ("Myanmar", "09 123 456 789"), ("Myanmar", "01 234 567"),
    ("Philippines", "+63 917 123 4567"), ("Philippines", "0917 123 4567"), ("Philippines", "(02) 8123 4567"),
    ("Philippines", "+63 (2) 8123-4567"),
    ("Singapore", "+65 9123 4567"), ("Singapore", "+65 6123-4567"), ("Singapore", "+6591234567"),
    ("Singapore", "9123 4567"), ("Singapore", "8123.4567"),
    ("Thailand", "+66 2 123 4567"), ("Thailand", "+66 81 234 5678"), ("Thailand", "(+66) 81-234-5678"),
    ("Thailand", "081 234 5678"), ("Thailand", "02-123-4567"),
    ("Vietnam", "+84 24 3825 1234"), ("Vietnam", "+84 912 345 678"), ("Vietnam", "0084 24 3825 1234"),
    ("Vietnam", "0912 345 678"), ("Vietnam", "024 3825 1234"), ("Vietnam", "(024) 3825-1234"),
    ("a partner in Japan", "+81 3-1234-5678"), ("a partner in Australia", "+61 2 6123 4567"),
]  # fmt: skip

# Figures from real plans and reports, which must stay as they are.
NOT_PHONES = [
    "1,200,000", "2041-2045", "2024–2030", "2018-19", "in 2023", "USD 12,500,000", "USD 80000000",
    "Rp 800.000.000", "S$ 9123 4567", "45%", "15.5%", "reduce by 30-40 percent", "01/02/2024", "2024-03-15",
    "15.03.2024", "8000-9000 households", "1 200 000 people", "population 8 500 000", "KPI 1200000",
    "192.168.1.1", "Singapore 018956", "Route 66 upgrade", "1.3521, 103.8198", "3,500 trees in 12 parks",
    "ISO 37120:2018", "10 000 m2", "year 2041 2045", "phase 1 2 3 4 5 6 7", "50,000 households by 2030",
    "SDG 11.2.1", "call for proposals 2024-2025", "contact 2024-2030", "THB 2,500,000,000", "0.75 ha",
    "from 12.5 to 18.25 km", "Kampung 1 2 3", "Tower 3, Level 12, Unit 12-05", "+1,500 jobs", "+15% by 2030",
    "+1 200 000 visitors",
]  # fmt: skip

EMAILS = ["jane.doe@bangkok.go.th", "a_b+ops@mail.example.org", "smartcity@hcmc.gov.vn",
          "jane [at] city [dot] gov [dot] my", "info(at)cebu.gov.ph"]  # fmt: skip


@pytest.mark.parametrize(("state", "phone"), PHONES)
def test_a_phone_of_each_member_state_is_found_in_a_sentence(state, phone):
    text = f"For details, {phone}, weekdays."
    assert kinds_in(text) == [PHONE], (state, phone, find_personal_data(text))
    assert find_personal_data(text)[0].text == phone.removeprefix("Tel: ")


@pytest.mark.parametrize(
    "text",
    ["Tel:+66 2 123 4567", "Phone:081-234-5678", "Tel.02-123-4567", "HP:0812 3456 7890",
     "Tel:+66-2-123-4567, Fax:+66-2-123-4568"],
)  # fmt: skip
def test_a_phone_glued_to_its_label_is_masked_whole(text):
    """Officers often type no space after "Tel:": the whole number goes, not only its tail."""
    masked = mask_personal_data(text, "en")
    assert "[phone removed]" in masked and not re.search(r"\d", masked), masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [("Tel. 02-123-4567/8", "Tel. [phone removed]/8"),
     ("Call 081 234 5678/081 234 5679.", "Call [phone removed]/[phone removed]."),
     ("Decision 1234567/QD-TTg of 01/02/2024", "Decision 1234567/QD-TTg of 01/02/2024")],
)  # fmt: skip
def test_numbers_joined_by_a_slash_are_masked_but_not_a_decision_or_a_date(text, masked):
    """Thai offices write their lines as 02-123-4567/8; two numbers are often joined by a slash."""
    assert mask_personal_data(text, "en") == masked


@pytest.mark.parametrize(
    ("state", "phone"),
    [("Thailand", "๐๘๑ ๒๓๔ ๕๖๗๘"), ("Myanmar", "၀၉ ၁၂၃ ၄၅၆ ၇၈၉"), ("Cambodia", "០១២ ៣៤៥ ៦៧៨"),
     ("Laos", "໐໒໐ ໕໕໕໕ ໑໒໓໔"), ("Thailand", "+๖๖ ๘๑ ๒๓๔ ๕๖๗๘")],
)  # fmt: skip
def test_a_phone_in_the_digits_of_a_member_states_script_is_masked(state, phone):
    """A text written in Thai, Burmese, Khmer or Lao gives its phone in that script's digits."""
    assert mask_personal_data(f"โทร {phone} ครับ", "en") == "โทร [phone removed] ครับ", state
    assert find_personal_data(f"({phone})")[0].text == phone
    assert find_personal_data("ปี ๒๕๖๗ งบ ๑,๒๐๐,๐๐๐ บาท ๑๕/๐๓/๒๕๖๗") == []  # a year, an amount, a date


@pytest.mark.parametrize("figure", NOT_PHONES)
def test_figures_years_dates_and_amounts_are_not_phones(figure):
    text = f"The project {figure} is planned."
    assert find_personal_data(text) == [], figure


@pytest.mark.parametrize("email", EMAILS)
def test_an_email_address_is_found_also_when_disguised(email):
    assert kinds_in(f"Write to {email}.") == [EMAIL]


def test_a_phone_beside_figures_is_found_and_only_it_is_masked():
    text = "In 2024 call 081 234 5678 or write to jane@bangkok.go.th about the 1,200,000 users (2041-2045)."
    assert mask_personal_data(text, "en") == (
        "In 2024 call [phone removed] or write to [email removed] about the 1,200,000 users (2041-2045)."
    )
    assert mask_personal_data("Desk (081 234 5678), fax (02) 8123 4567.", "en") == (
        "Desk ([phone removed]), fax [phone removed]."
    )
    assert mask_personal_data("No contact here: 35% by 2030.", "en") == "No contact here: 35% by 2030."
    assert mask_personal_data(None) is None and mask_personal_data(1200000) == 1200000


def test_the_masks_words_are_translatable():
    with translation.override("en"):
        assert mask_personal_data("+66 81 234 5678") == "[phone removed]"
    # The note goes through gettext, in the language asked for, whatever is active.
    with translation.override("th"):
        assert mask_personal_data("a@b.org", "en") == "[email removed]"


# Every public text declared is checked -----------------------------------------------------------

TYPED = "Call +66 81 234 5678 or jane@bangkok.go.th"


def _through_the_plan_check(client, csco_bangkok, label, field):
    """The plan page's check before submission, as the CSCO who may submit sees it."""
    plan = draft_plan()
    flood = project(plan)
    kpi = ProjectKPI.objects.create(project=flood, name="Households warned", unit="households")
    record = {"action_plans.ActionPlan": plan, "action_plans.PriorityProject": flood,
              "action_plans.ProjectKPI": kpi}[label]  # fmt: skip
    setattr(record, field, TYPED)
    record.save()
    client.force_login(csco_bangkok)
    page = client.get(f"/action-plans/{plan.pk}/").content.decode()
    check = page[page.index('data-testid="plan-check"') :]
    prefix = "kpis-0-" if label == "action_plans.ProjectKPI" else ""
    form = f"/action-plans/{plan.pk}/edit/" if record is plan else f"/action-plans/{plan.pk}/projects/{flood.pk}/"
    link = re.search(rf'<a href="{re.escape(form)}#id_{prefix}{field}">([^<]*)</a>', check)
    assert link, (label, field)
    assert "looks like an email address and a phone number in a public text" in link.group(1)
    assert "Worth a look" in check  # a warning: the plan can still be submitted


def _through_the_admin(client, secretariat, label, field):
    """The event's admin form: saved, with a warning linked to the field."""
    data = _bangkok_workshop_form()
    if label == "events.Event":
        data[field] = TYPED
    elif label == "events.Session":
        data[f"sessions-0-{field}"] = TYPED
    else:
        data |= {"outcomes-TOTAL_FORMS": 1, "outcomes-0-kind": "adopted", "outcomes-0-position": 0,
                 f"outcomes-0-{field}": TYPED}  # fmt: skip
    client.force_login(secretariat)
    response = client.post("/admin/events/event/add/", data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "was added successfully" in page, (label, field)
    inline = {"events.Session": "sessions-0-", "events.Outcome": "outcomes-0-"}.get(label, "")
    link = re.search(rf'<a href="/admin/events/event/\d+/change/#id_{inline}{field}">([^<]*)</a>', page)
    assert link, (label, field)
    assert "looks like an email address and a phone number in a public text" in link.group(1)


SURFACES = {
    "action_plans.ActionPlan": _through_the_plan_check,
    "action_plans.PriorityProject": _through_the_plan_check,
    "action_plans.ProjectKPI": _through_the_plan_check,
    "events.Event": _through_the_admin,
    "events.Session": _through_the_admin,
    "events.Outcome": _through_the_admin,
}


def test_public_texts_are_declared_for_plans_projects_and_events():
    assert {"title", "summary"} <= set(PUBLIC_TEXTS["action_plans.PriorityProject"])
    assert "vision" in PUBLIC_TEXTS["action_plans.ActionPlan"]
    assert "description" in PUBLIC_TEXTS["events.Event"]


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "field"), [(label, f) for label, fields in PUBLIC_TEXTS.items() for f in fields])
def test_every_declared_public_text_warns_where_it_is_written(client, csco_bangkok, secretariat, label, field):
    assert label in SURFACES, f"{label} declares public texts but no check before publishing shows them"
    person = csco_bangkok if SURFACES[label] is _through_the_plan_check else secretariat
    SURFACES[label](client, person, label, field)
