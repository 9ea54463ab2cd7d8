"""The scope event log: removals that wait for a second staff member, undo as a new event,
the project form locked while a campaign or ballot is open, and the list's query budget."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from consult.models import ScopeKind
from consult.services.ballots import ballot_close
from projects.forms.projects import FirmFormSet, FundingFormSet, ProjectForm
from projects.models import ScopeEvent, ScopeEventReview
from projects.selectors.scope import affected_households, household_overrides, pending_scope_changes
from projects.services import signoffs as svc
from projects.services.projects import project_save
from projects.services.scope import scope_adjust, scope_confirm, scope_reject, scope_undo
from tests import factories as f

pytestmark = pytest.mark.django_db


def _ids(project):
    return set(affected_households(project).values_list("pk", flat=True))


def test_removing_a_household_that_has_not_agreed_waits_for_a_second_staff_member(riser):
    w, h = riser.world, riser.holdouts[0]
    event = scope_adjust(project=riser.project, household=h, included=False, reason="暂时联系不上", by=w.staff)
    assert event.needs_confirmation and event.is_pending
    assert h.pk in _ids(riser.project), "no effect until confirmed"
    assert list(pending_scope_changes(riser.project)) == [event]

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        scope_confirm(event=event, by=w.staff)
    assert "另一名工作人员" in refused.value.message
    assert not ScopeEventReview.objects.exists()

    scope_confirm(event=event, by=riser.staff_b, note="已核实")
    assert h.pk not in _ids(riser.project)
    assert not pending_scope_changes(riser.project).exists()
    with pytest.raises(ValidationError):
        scope_confirm(event=event, by=w.admin)  # decided once, for good


def test_the_community_admin_may_confirm(riser):
    w = riser.world
    event = scope_adjust(project=riser.project, household=riser.holdouts[0], included=False, reason="x", by=w.staff)
    scope_confirm(event=event, by=w.admin)
    assert riser.holdouts[0].pk not in _ids(riser.project)


def test_a_rejected_removal_never_counts_and_the_proposer_may_withdraw(riser):
    w, h = riser.world, riser.holdouts[0]
    event = scope_adjust(project=riser.project, household=h, included=False, reason="x", by=w.staff)
    scope_reject(event=event, by=w.staff, note="撤回")
    assert h.pk in _ids(riser.project)
    with pytest.raises(ValidationError):
        scope_undo(event=event, reason="x", by=w.staff)
    # The household can be proposed again; the rejected proposal stays in the log.
    scope_adjust(project=riser.project, household=h, included=False, reason="再次提出", by=w.staff)
    assert ScopeEvent.objects.filter(household=h).count() == 2


def test_an_agreed_household_and_projects_without_campaign_need_no_second_person(riser, world):
    event = scope_adjust(project=riser.project, household=riser.agreed[0], included=False, reason="x", by=world.staff)
    assert not event.needs_confirmation and riser.agreed[0].pk not in _ids(riser.project)

    plain = f.project(community=world.community)
    plain.buildings.set([world.other_building])
    event = scope_adjust(project=plain, household=world.other_household, included=False, reason="x", by=world.staff)
    assert not event.needs_confirmation and _ids(plain) == set()


def test_a_second_proposal_for_the_same_household_waits_for_the_first(riser):
    w, h = riser.world, riser.holdouts[0]
    scope_adjust(project=riser.project, household=h, included=False, reason="x", by=w.staff)
    with pytest.raises(ValidationError):
        scope_adjust(project=riser.project, household=h, included=False, reason="again", by=riser.staff_b)


def test_undo_is_a_new_event_and_undoing_an_addition_needs_confirmation(riser, world):
    """Adding a neighbour then undoing it takes them out again: they have not agreed, so the
    undo waits for a second staff member like any removal."""
    neighbour = world.other_household
    added = scope_adjust(project=riser.project, household=neighbour, included=True, reason="共用立管", by=world.staff)
    assert neighbour.pk in _ids(riser.project)
    undo = scope_undo(event=added, reason="不共用", by=world.staff)
    assert undo.reverses == added and undo.needs_confirmation
    assert neighbour.pk in _ids(riser.project)
    with pytest.raises(ValidationError):
        scope_undo(event=added, reason="twice", by=world.staff)  # an undo is already waiting
    scope_confirm(event=undo, by=riser.staff_b)
    assert neighbour.pk not in _ids(riser.project)
    assert ScopeEvent.objects.count() == 2
    with pytest.raises(ValidationError):
        scope_undo(event=undo, reason="x", by=world.staff)  # an undo is never undone


def test_the_latest_event_in_force_decides(riser, world):
    """Out, then back in by a later change, then that change undone: out again."""
    h = riser.agreed[0]
    out = scope_adjust(project=riser.project, household=h, included=False, reason="a", by=world.staff)
    back = scope_adjust(project=riser.project, household=h, included=True, reason="b", by=world.staff)
    assert h.pk in _ids(riser.project)
    with pytest.raises(ValidationError):
        scope_undo(event=out, reason="c", by=world.staff)  # replaced by a later change
    scope_undo(event=back, reason="c", by=world.staff)
    assert h.pk not in _ids(riser.project)
    assert list(household_overrides(project_id=riser.project.pk).values_list("pk", flat=True)) == [out.pk]


def test_the_database_refuses_a_self_confirmation_and_a_change_without_reason(riser, world):
    event = scope_adjust(project=riser.project, household=riser.holdouts[0], included=False, reason="x", by=world.staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeEventReview.objects.create(
            event=event, decision="confirmed", proposed_by=world.staff, decided_by=world.staff, decided_at=event.made_at
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ScopeEvent.objects.create(
            project=riser.project, household=riser.holdouts[1], action="remove", reason="", made_by=world.staff,
            made_at=event.made_at,
        )  # fmt: skip


def test_only_office_members_change_the_scope(riser, world):
    with pytest.raises(ValidationError):
        scope_adjust(project=riser.project, household=riser.agreed[0], included=False, reason="x", by=world.department)
    event = scope_adjust(project=riser.project, household=riser.holdouts[0], included=False, reason="x", by=world.staff)
    with pytest.raises(ValidationError):
        scope_confirm(event=event, by=world.other_staff)  # staff of another community


# --- the project form ---------------------------------------------------------------------


def _edit(project, *, units, reason="", by):
    data = {
        "title": project.title,
        "project_class": project.project_class,
        "work_type": project.work_type,
        "units": [u.pk for u in units],
        "scope_reason": reason,
        "funding-TOTAL_FORMS": "0",
        "funding-INITIAL_FORMS": "0",
        "firms-TOTAL_FORMS": "0",
        "firms-INITIAL_FORMS": "0",
    }
    form = ProjectForm(data, instance=project, community=project.community)
    funding = FundingFormSet(data, instance=project, prefix="funding")
    firms = FirmFormSet(data, instance=project, prefix="firms")
    assert form.is_valid() and funding.is_valid() and firms.is_valid(), form.errors
    return project_save(form=form, funding_formset=funding, firm_formset=firms, by=by)


def test_the_form_refuses_scope_changes_while_the_campaign_is_open(riser, world):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _edit(riser.project, units=[world.unit, world.other_unit], reason="扩大范围", by=world.staff)
    assert "units" in refused.value.error_dict
    assert "范围和调整" in " ".join(refused.value.messages)
    assert list(riser.project.units.all()) == [world.unit] and not ScopeEvent.objects.exists()

    svc.signoff_campaign_set_open(campaign=riser.campaign, open_=False, by=world.staff)
    with pytest.raises(ValidationError) as refused:
        _edit(riser.project, units=[world.unit, world.other_unit], by=world.staff)
    assert "scope_reason" in refused.value.error_dict
    _edit(riser.project, units=[world.unit, world.other_unit], reason="扩大范围", by=world.staff)
    event = ScopeEvent.objects.get()
    assert (event.action, event.unit, event.reason) == ("add", world.other_unit, "扩大范围")


def test_the_form_refuses_scope_changes_while_a_ballot_is_open(world):
    project = f.project(community=world.community)
    project.units.set([world.unit])
    f.ballot(world, scope_kind=ScopeKind.PROJECT, target=project)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _edit(project, units=[], reason="缩小", by=world.staff)
    assert "表决" in " ".join(refused.value.messages)


def test_the_edit_page_shows_the_lock_and_the_refusal_next_to_the_field(client, riser, world):
    client.force_login(world.staff)
    url = reverse("projects:project_edit", args=[riser.project.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="scope-locked"' in page and reverse("projects:project_scope", args=[riser.project.pk]) in page
    response = client.post(
        url,
        {
            "title": riser.project.title,
            "project_class": "basic",
            "work_type": "other",
            "units": [],
            "funding-TOTAL_FORMS": "0",
            "funding-INITIAL_FORMS": "0",
            "firms-TOTAL_FORMS": "0",
            "firms-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "范围和调整" in response.content.decode()
    assert list(riser.project.units.all()) == [world.unit]


# --- pages ------------------------------------------------------------------------------


def test_board_project_page_and_ballot_show_the_changes(client, riser, world):
    event = scope_adjust(
        project=riser.project, household=riser.holdouts[0], included=False, reason="暂时联系不上", by=world.staff
    )
    client.force_login(riser.staff_b)
    board = client.get(reverse("projects:signoff_board", args=[riser.campaign.pk])).content.decode()
    assert "暂时联系不上" in board and reverse("projects:scope_confirm", args=[event.pk]) in board
    project_page = client.get(reverse("projects:project", args=[riser.project.pk])).content.decode()
    assert f'data-testid="scope-pending-{event.pk}"' in project_page
    response = client.post(reverse("projects:scope_confirm", args=[event.pk]), {"next": "/evil"})
    assert response.status_code == 302
    assert ScopeEventReview.objects.get().decided_by == riser.staff_b

    ballot = f.ballot(world, scope_kind=ScopeKind.PROJECT, target=riser.project)
    ballot_close(ballot=ballot, by=world.admin, now=timezone.now() + timedelta(days=8))
    client.force_login(world.admin)
    page = client.get(reverse("consult:ballot", args=[ballot.pk])).content.decode()
    assert 'data-testid="ballot-result"' in page
    assert "暂时联系不上" in page and riser.staff_b.username in page  # who confirmed
    # Department viewers see the board's numbers, never the households taken out.
    client.force_login(world.department)
    board = client.get(reverse("projects:signoff_board", args=[riser.campaign.pk])).content.decode()
    assert "暂时联系不上" not in board


def test_the_proposer_sees_no_confirm_button(client, riser, world):
    event = scope_adjust(project=riser.project, household=riser.holdouts[0], included=False, reason="x", by=world.staff)
    client.force_login(world.staff)
    page = client.get(reverse("projects:project_scope", args=[riser.project.pk])).content.decode()
    assert reverse("projects:scope_reject", args=[event.pk]) in page
    assert reverse("projects:scope_confirm", args=[event.pk]) not in page
    client.post(reverse("projects:scope_confirm", args=[event.pk]))
    assert not ScopeEventReview.objects.exists()


@pytest.mark.parametrize("n", [3, 30])
def test_scope_change_lists_have_a_fixed_query_count(client, riser, world, django_assert_max_num_queries, n):
    """The scope page and the board list every change in one query, whatever their number."""
    extra = f.households(f.unit(building=world.other_building, name="3单元"), n)
    for i, h in enumerate(extra):
        e = scope_adjust(project=riser.project, household=h, included=True, reason=f"共用立管{i}", by=world.staff)
        if i % 3 == 0:
            scope_undo(event=e, reason="撤销", by=world.staff)
    for h in riser.holdouts[:2]:
        scope_adjust(project=riser.project, household=h, included=False, reason="暂时联系不上", by=world.staff)
    client.force_login(riser.staff_b)
    pages = {  # measured: 14, 11 and 31 queries at both sizes
        reverse("projects:project_scope", args=[riser.project.pk]): 14,
        reverse("projects:signoff_board", args=[riser.campaign.pk]): 11,
        reverse("projects:project", args=[riser.project.pk]): 31,
    }
    for url, budget in pages.items():
        with django_assert_max_num_queries(budget):
            response = client.get(url)
        assert response.status_code == 200
        assert "暂时联系不上" in response.content.decode()
