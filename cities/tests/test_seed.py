import shutil
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from ascn_portal.site.reference import reference_data_load
from cities.models import (
    Chairmanship,
    City,
    CityNetwork,
    CityNetworkMembership,
    FocusArea,
    MemberState,
    StrategicOutcome,
)
from cities.services import REFERENCE_DIR, ReferenceDataError
from partners.models import Partner

pytestmark = pytest.mark.django_db


def test_seed_loads_the_network_as_the_sources_describe_it():
    assert MemberState.objects.count() == 10
    assert City.objects.count() == 31
    assert City.objects.filter(joined_year=2018).count() == 26
    assert set(City.objects.exclude(joined_year=2018).values_list("slug", flat=True)) == {
        "chiang-mai",
        "khon-kaen",
        "rayong",
        "sumedang",
        "sihanoukville",
    }
    assert City.objects.values("member_state").distinct().count() == 10
    assert StrategicOutcome.objects.count() == 3
    assert FocusArea.objects.count() == 6
    assert Counter(Partner.objects.values_list("kind", flat=True)) == {
        "dialogue": 10,
        "sectoral_dialogue": 4,
        "development": 1,
        "foreign_city": 1,  # the twins of the sources' pairings: Chonburi with Yokohama,
        "private_sector": 1,  # Banyuwangi with John Wiley & Sons
    }
    assert Chairmanship.objects.get(year=2018).member_state.code == "SG"
    assert CityNetwork.objects.count() == 6
    assert set(City.objects.filter(networks__acronym="C40").values_list("slug", flat=True)) == {
        "bangkok",
        "ha-noi",
        "ho-chi-minh-city",
        "jakarta",
        "singapore",
    }
    assert CityNetworkMembership.objects.get(city__slug="da-nang").network.acronym == "WeGO"


def test_every_city_has_coordinates_inside_southeast_asia():
    for city in City.objects.all():
        assert -11 < city.latitude < 29 and 92 < city.longitude < 142, city


def test_a_second_run_changes_nothing(capsys):
    history_before = City.history.count()
    call_command("seed_ascn")
    assert "nothing changed" in capsys.readouterr().out
    assert reference_data_load().changed == 0
    assert City.history.count() == history_before


def _copy_reference(tmp_path):
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def test_a_changed_fact_is_updated_and_a_new_city_is_only_data(tmp_path):
    directory = _copy_reference(tmp_path)
    cities_csv = directory / "cities.csv"
    text = cities_csv.read_text().replace("Bangkok,bangkok,TH,13.7563", "Bangkok,bangkok,TH,13.7500")
    text += "Hue,hue,VN,16.4637,107.5909,2025,,,test row\n"
    cities_csv.write_text(text)

    report = reference_data_load(directory=directory)

    assert report.counts["cities"] == {"created": 1, "updated": 1, "unchanged": 30}
    assert str(City.objects.get(slug="bangkok").latitude) == "13.7500"
    assert City.objects.get(slug="hue").member_state.code == "VN"


def test_bad_reference_data_stops_with_the_file_and_line_and_writes_nothing(tmp_path):
    directory = _copy_reference(tmp_path)
    cities_csv = directory / "cities.csv"
    cities_csv.write_text(cities_csv.read_text() + "Atlantis,atlantis,XX,1.0,100.0,2025,,,\n")
    (directory / "focus_areas.csv").write_text(
        (directory / "focus_areas.csv").read_text().replace("Civic and social,", "Civic and social life,")
    )

    with pytest.raises(ReferenceDataError, match=r"cities.csv:33: no member state with code 'XX'"):
        reference_data_load(directory=directory)

    assert not City.objects.filter(slug="atlantis").exists()
    assert FocusArea.objects.get(slug="civic-and-social").name == "Civic and social"


def test_the_command_reports_bad_data_as_a_command_error(tmp_path, settings, monkeypatch):
    directory = _copy_reference(tmp_path)
    (directory / "cities.csv").write_text(
        (directory / "cities.csv").read_text() + "Nowhere,nowhere,TH,95.0,100.0,2025,,,\n"
    )
    monkeypatch.setattr(
        "ascn_portal.site.management.commands.seed_ascn.reference_data_load",
        lambda: reference_data_load(directory=directory),
    )
    with pytest.raises(CommandError, match="cities.csv:33: .*less than or equal to 90"):
        call_command("seed_ascn")
