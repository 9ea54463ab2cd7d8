"""Writes for projects: create and edit (with funding lines and firms), scope adjustments."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import ServiceError
from ..models import AuditAction, Household, Project, ProjectHouseholdAdjustment, Stage, default_ballot_requirement
from ..selectors.scope import affected_households


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
    stage clock starts now.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            project = form.save(commit=False)
            before = None
            if project.pk is not None:
                before = project_state(Project.objects.select_for_update().get(pk=project.pk))
            if project.pk is None:
                project.created_by = by
                project.stage = Stage.NEEDS
                project.stage_changed_at = now
                project.requires_passed_ballot = default_ballot_requirement(project.work_type)
            project.save()
            form.save_m2m()
            check_scope_in_community(project)
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


def scope_adjust(
    *, project: Project, household: Household, included: bool, reason: str, by, now=None
) -> ProjectHouseholdAdjustment:
    """Add one household to the affected set, or take one out, with the reason.

    Refuses changes that would do nothing (adding a household already affected, removing one
    that is not), so the adjustment list only holds real exceptions to the scope.
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for the change."))
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if household.unit.building.compound.community_id != project.community_id:
            raise ServiceError(_("This household does not belong to the project's community."))
        affected = affected_households(project).filter(pk=household.pk).exists()
        if included and affected:
            raise ServiceError(_("This household is already affected by the project."))
        if not included and not affected:
            raise ServiceError(_("This household is not affected by the project."))
        adjustment, _created = ProjectHouseholdAdjustment.objects.update_or_create(
            project=project,
            household=household,
            defaults={"included": included, "reason": reason, "made_by": by, "made_at": now},
        )
    return adjustment


def scope_adjustment_undo(*, adjustment: ProjectHouseholdAdjustment) -> None:
    """Take back an adjustment: the household follows the scope again."""
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=adjustment.project_id).first()
        ProjectHouseholdAdjustment.objects.filter(pk=adjustment.pk).delete()
