"""`seed_demo` writes marked synthetic data a second run replaces, and `--clear` removes."""

import io

import pytest
from django.core.management import call_command

from action_plans.models import PriorityProject
from partners.models import Partner, ProjectPartnership

pytestmark = pytest.mark.django_db


def test_seed_demo_writes_marked_data_and_clears_it():
    out = io.StringIO()
    call_command("seed_demo", "--projects", "30", "--partners", "5", "--partnerships", "20", stdout=out)
    assert "Demo data: 30 projects" in out.getvalue()
    assert PriorityProject.objects.filter(title__startswith="[Demo]").count() == 30
    assert Partner.objects.filter(slug__startswith="demo-").count() == 5
    assert ProjectPartnership.objects.filter(partner__slug__startswith="demo-").count() == 20
    call_command("seed_demo", "--projects", "30", "--partners", "5", "--partnerships", "20", stdout=io.StringIO())
    assert PriorityProject.objects.filter(title__startswith="[Demo]").count() == 30  # replaced, not added
    call_command("seed_demo", "--clear", stdout=io.StringIO())
    assert not PriorityProject.objects.filter(title__startswith="[Demo]").exists()
    assert not Partner.objects.filter(slug__startswith="demo-").exists()
