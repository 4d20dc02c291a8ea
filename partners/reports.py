"""The finalised list of project partnerships as rows, for the page, CSV and XLSX alike."""

from __future__ import annotations

from ascn_portal.exports import Column

COLUMNS = [
    Column("Member state", 16), Column("City", 18), Column("Project", 40), Column("Partner", 28),
    Column("Consortium (lead first)", 40), Column("Support", 22), Column("Amount (USD)", 16, "#,##0.00"),
    Column("Finalised on", 14),
]  # fmt: skip


def rows(partnerships) -> list[list]:
    out = []
    for p in partnerships:
        consortium = "; ".join(f"{m.company} ({m.country})" for m in p.consortium.all())
        city = p.project.plan.city
        out.append([city.member_state.short_name, city.name, p.project.title, p.partner.name, consortium,
                    p.get_support_type_display(), p.amount_usd, p.finalised_on])  # fmt: skip
    return out
