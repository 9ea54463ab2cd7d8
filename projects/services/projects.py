"""Writes for projects: create and edit (with funding lines and firms). Scope changes of single
households live in ``services.scope``."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import ServiceError
from ..models import AuditAction, Project, Stage, default_ballot_requirement
from .scope import place_ids, record_place_changes


def check_scope_in_community(project: Project) -> None:
    """Every compound, building and unit of the scope must lie in the project's community.

    Forms already offer only the community's places; this is the last line for any other
    writer (admin, imports, tests), because a stray unit would pull another community's
    households into sign-offs and ballots.
    """
    community_id = project.community_id
    stray = (
        project.compounds.exclude(community_id=community_id).exists()
        or project.buildings.exclude(compound__community_id=community_id).exists()
        or project.units.exclude(building__compound__community_id=community_id).exists()
    )
    if stray:
        raise ServiceError(_("The scope may only contain places of the project's community."))


def project_state(project: Project) -> dict:
    """A project's fields, scope, funding lines and firms, for the audit trail."""
    return audit.snapshot(
        project,
        exclude={"stage", "stage_changed_at", "created_by"},
        compounds=sorted(project.compounds.values_list("pk", flat=True)),
        buildings=sorted(project.buildings.values_list("pk", flat=True)),
        units=sorted(project.units.values_list("pk", flat=True)),
        funding=[audit.snapshot(f, exclude={"id", "project"}) for f in project.funding_sources.order_by("pk")],
        firms=[audit.snapshot(f, exclude={"id", "project"}) for f in project.firms.order_by("pk")],
    )


def project_save(*, form, funding_formset, firm_formset, by, now=None, request=None) -> Project:
    """Save a project form with its funding and firm formsets as one unit of work.

    All three must be valid already. A new project starts in "collecting needs" and its
    stage clock starts now. An edit that changes the places in scope is recorded in the scope
    event log with the form's reason, and refused while a campaign or ballot is open
    (``services.scope.record_place_changes``); the scope chosen at creation is the baseline.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            project = form.save(commit=False)
            before = places_before = None
            if project.pk is not None:
                locked = Project.objects.select_for_update().get(pk=project.pk)
                before, places_before = project_state(locked), place_ids(locked)
            if project.pk is None:
                project.created_by = by
                project.stage = Stage.NEEDS
                project.stage_changed_at = now
                project.requires_passed_ballot = default_ballot_requirement(project.work_type)
            project.save()
            form.save_m2m()
            check_scope_in_community(project)
            if places_before is not None:
                record_place_changes(
                    project=project,
                    before=places_before,
                    reason=form.cleaned_data.get("scope_reason", ""),
                    by=by,
                    now=now,
                )
            funding_formset.instance = project
            funding_formset.save()
            firm_formset.instance = project
            firm_formset.save()
            if before is not None:
                old, new = audit.changed(before, project_state(project))
                if new:
                    audit.record(
                        AuditAction.PROJECT_CHANGED,
                        actor=by,
                        community=project.community,
                        obj=project,
                        before=old,
                        after=new,
                        request=request,
                        now=now,
                    )
    except IntegrityError as error:
        raise ServiceError(_("The project could not be saved: a value breaks a rule (check amounts).")) from error
    return project
