"""The check before submission: what is missing or inconsistent in a plan or a progress report,
each problem linked to the field. Blocking problems stop the submission; warnings do not."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from ascn_portal.personal_data import personal_data_in, warning_for

BLOCKING, WARNING = "blocking", "warning"


@dataclass(frozen=True)
class Problem:
    level: str
    message: str
    url: str = ""  # the page and the field's anchor

    @property
    def blocking(self) -> bool:
        return self.level == BLOCKING


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.blocking]


def plan_problems(plan) -> list[Problem]:
    """A plan before it is submitted: its projects, their KPIs, dates and money."""
    edit = reverse("action_plans:plan_edit", kwargs={"pk": plan.pk})
    problems = []
    projects = list(plan.projects.prefetch_related("kpis", "focus_areas"))
    problems += _personal_data(plan, f"“{plan.title}”", edit)
    if not projects:
        problems.append(Problem(BLOCKING, "Add at least one priority project before submitting.", f"{edit}#projects"))
    for project in projects:
        anchor = f"{edit}#project-{project.pk}"
        name = f"“{project.title}”"
        if not project.focus_areas.all():
            problems.append(Problem(WARNING, f"{name} has no focus area; partners filter by them.", anchor))
        if project.estimated_cost_usd is not None and project.funding_secured_usd > project.estimated_cost_usd:
            problems.append(Problem(BLOCKING, f"{name}: funding secured is above its cost.", anchor))
        for day, label in ((project.starts_on, "starts"), (project.ends_on, "ends")):
            if day and not plan.period_start <= day.year <= plan.period_end:
                problems.append(Problem(
                    BLOCKING, f"{name} {label} in {day.year}, outside the plan's period "
                    f"({plan.period_start}-{plan.period_end}).", anchor,
                ))  # fmt: skip
        for kpi in project.kpis.all():
            missing = [w for w, v in (("baseline", kpi.baseline), ("target", kpi.target)) if v is None]
            if missing:
                problems.append(
                    Problem(WARNING, f"{name}: the KPI “{kpi.name}” has no {' or '.join(missing)}.", anchor)
                )
        form = reverse("action_plans:project_edit", kwargs={"pk": plan.pk, "project_pk": project.pk})
        problems += _personal_data(project, name, form)
        for index, kpi in enumerate(project.kpis.all()):  # the project form's KPI rows, in the same order
            problems += _personal_data(kpi, f"{name}, KPI “{kpi.name}”", form, f"kpis-{index}-")
    return problems


def _personal_data(record, name: str, form_url: str, prefix: str = "") -> list[Problem]:
    """A warning for each public text of the record (as declared in ascn_portal.personal_data) that
    holds an email address or a phone number, linked to the field on its form."""
    return [
        Problem(WARNING, warning_for(kinds, f"{name}, {record._meta.get_field(field).verbose_name}"),
                f"{form_url}#id_{prefix}{field}")
        for field, kinds in personal_data_in(record)
    ]  # fmt: skip


def progress_problems(project, report, previous=None, url: str = "") -> list[Problem]:
    """A project's report in a round. `report` may be None (not filed yet); `previous` is the report
    of an earlier year, to see whether the percent went down."""
    name = f"“{project.title}”"
    if report is None:
        return [Problem(BLOCKING, f"{name} has no progress report yet.", url)]
    problems = []
    if previous is not None and report.percent_complete < previous.percent_complete and not report.narrative.strip():
        problems.append(Problem(
            BLOCKING, f"{name}: the percent complete went down from {previous.percent_complete}% "
            f"({previous.year}) to {report.percent_complete}%; say why in the narrative.", f"{url}#id_narrative",
        ))  # fmt: skip
    cost = project.estimated_cost_usd
    if cost is not None and report.funding_secured_usd is not None and report.funding_secured_usd > cost:
        funded = report.funding_secured_usd
        message = f"{name}: funding secured ({funded:,.0f}) is above the project's cost ({cost:,.0f})."
        problems.append(Problem(BLOCKING, message, f"{url}#id_funding_secured_usd"))
    if report.status == "completed" and report.percent_complete < 100:
        problems.append(
            Problem(WARNING, f"{name} is marked completed at {report.percent_complete}%.", f"{url}#id_status")
        )
    values = report.kpi_values or {}
    for kpi in project.kpis.all():
        missing = [w for w, v in (("baseline", kpi.baseline), ("target", kpi.target)) if v is None]
        if missing:
            problems.append(Problem(WARNING, f"{name}: the KPI “{kpi.name}” has no {' or '.join(missing)}, so it "
                                             "cannot be judged on or off track.", url))  # fmt: skip
        if str(kpi.pk) not in values:
            problems.append(Problem(WARNING, f"{name}: no value for the KPI “{kpi.name}”.", f"{url}#id_kpi_{kpi.pk}"))
    return problems


def kpi_on_track(kpi, value, percent_complete: int) -> bool | None:
    """On track when the indicator has gone at least as far from its baseline towards its target as
    the project has towards completion, less 10 points; None when it cannot be judged."""
    if kpi.baseline is None or kpi.target is None or value in (None, "") or kpi.target == kpi.baseline:
        return None
    try:
        reached = Decimal(str(value))
    except ArithmeticError:
        return None
    if not reached.is_finite():
        return None
    share = (reached - kpi.baseline) / (kpi.target - kpi.baseline)
    return share * 100 >= percent_complete - 10
