"""The network's recorded events (the 2018 milestones and the annual meetings), loaded by seed_ascn."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

from cities.models import City, MemberState, StrategicOutcome

from .choices import EventFormat
from .models import Event, Outcome

FORMATS = {"in person": EventFormat.IN_PERSON, "virtual": EventFormat.VIRTUAL, "hybrid": EventFormat.HYBRID}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _days(start: str, end: str, zone: str, where: str, error) -> dict:
    """Whole days in the venue's time zone: from midnight of the first to midnight after the last."""
    if not start:
        return {"starts_at": None, "ends_at": None, "all_day": True}
    try:
        tz = zoneinfo.ZoneInfo(zone)
        first = datetime.date.fromisoformat(start)
        last = datetime.date.fromisoformat(end or start)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError) as problem:
        raise error(f"{where}: {problem}") from problem
    midnight = datetime.time(0, 0)
    return {
        "starts_at": datetime.datetime.combine(first, midnight, tz).astimezone(datetime.UTC),
        "ends_at": datetime.datetime.combine(last + datetime.timedelta(days=1), midnight, tz).astimezone(datetime.UTC),
        "all_day": True,
    }


def _lookup(model, field: str, value: str, where: str, error):
    if not value:
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise error(f"{where}: unknown {model._meta.verbose_name} {value!r}")
    return found


def events_reference_load(report, directory: Path, rows, upsert, error) -> None:
    """Upsert the recorded events and their outcomes (called inside seed_ascn's transaction)."""
    from_milestones = set()
    for path, line, row in rows(directory, "events_2018.csv"):
        where = f"{path.name}:{line}"
        values = {
            "name": row["name"], "kind": row["kind"], "place": row["place"], "time_zone": row["time_zone"],
            "description": row["notes"], "year": int(row["start"][:4]),
            "venue_city": _lookup(City, "slug", row["venue_city"], where, error),
            "member_state": _lookup(MemberState, "code", row["member_state"], where, error),
            "reported_delegates": int(row["delegates"]) if row["delegates"] else None,
            "reported_cities": int(row["cities"]) if row["cities"] else None,
            "reported_member_states": int(row["member_states"]) if row["member_states"] else None,
            **_days(row["start"], row["end"], row["time_zone"], where, error),
        }  # fmt: skip
        upsert(report, Event, {"slug": row["slug"]}, values, where)
        from_milestones.add(row["slug"])

    for path, line, row in rows(directory, "annual_meetings.csv"):
        where = f"{path.name}:{line}"
        number, year = int(row["number"]), int(row["year"])
        chair = _lookup(MemberState, "code", row["chair"], where, error)
        if row["format"] not in FORMATS:
            raise error(f"{where}: format must be one of {', '.join(FORMATS)}")
        slug = f"ascn-annual-meeting-{year}"
        values = {
            "kind": "annual_meeting", "number": number, "year": year, "format": FORMATS[row["format"]],
            "host": f"{chair.short_name}, ASEAN chair {year}",
        }  # fmt: skip
        if slug not in from_milestones:  # the inaugural meeting is described by the milestones already
            venue_city = _lookup(City, "slug", row["venue_city"], where, error)
            values |= {
                "name": f"{_ordinal(number)} ASCN Annual Meeting", "place": row["place"], "description": row["notes"],
                "time_zone": row["time_zone"], "venue_city": venue_city,
                "member_state": venue_city.member_state if venue_city else chair,
                **_days(row["start"], row["end"], row["time_zone"], where, error),
            }  # fmt: skip
        upsert(report, Event, {"slug": slug}, values, where)

    for path, line, row in rows(directory, "event_outcomes.csv"):
        where = f"{path.name}:{line}"
        event = _lookup(Event, "slug", row["event"], where, error)
        outcome = upsert(
            report, Outcome, {"event": event, "position": int(row["position"])},
            {"kind": row["kind"], "text": row["text"], "concerns_framework": row["framework"] == "yes"}, where,
        )  # fmt: skip
        links = {
            "cities": [_lookup(City, "slug", s, where, error) for s in row["cities"].split(";") if s],
            "strategic_outcomes": [
                _lookup(StrategicOutcome, "slug", s, where, error) for s in row["strategic_outcomes"].split(";") if s
            ],
        }
        for name, wanted in links.items():
            related = getattr(outcome, name)
            if {o.pk for o in related.all()} != {o.pk for o in wanted}:
                related.set(wanted)
                report.add(Outcome, "updated")
