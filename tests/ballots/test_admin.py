"""The admin shows ballots and codes to superusers but never writes: the services do."""

import pytest
from django.urls import reverse

from projects.services.identity import CodeError, check_household_code, issue_household_code

from .conftest import make_ballot, vote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "consult_ballot",
        "consult_castballot",
        "consult_ballotobjection",
        "projects_householdcode",
        "projects_householdcodeattempt",
    ],
)
def test_superuser_sees_read_only_admin_pages(client, world, model):
    ballot = make_ballot(world)
    vote(ballot, world.household)
    issue_household_code(household=world.household, by=world.staff)
    with pytest.raises(CodeError):  # leaves a failed entry to list
        check_household_code(raw_code="ABCDEFGHJKMN", client_address="10.0.0.1")
    client.force_login(world.superuser)
    response = client.get(reverse(f"admin:{model}_changelist"))
    assert response.status_code == 200
    assert client.get(reverse(f"admin:{model}_add")).status_code == 403
