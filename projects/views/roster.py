"""Staff pages for the household roster: template, upload and preview, commit, export."""

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django.views.generic.detail import SingleObjectMixin
from django.views.generic.edit import FormMixin

from .. import audit
from ..forms.roster import RosterUploadForm
from ..models import Community, RosterImport
from ..roster.workbook import roster_xlsx, template_csv, template_xlsx
from ..selectors import roster as selectors
from ..services.roster import (
    RosterCommitError,
    roster_export_log,
    roster_import_commit,
    roster_import_create,
    roster_import_discard,
)
from ..spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, download
from .mixins import ObjectPermissionMixin

ERRORS_PER_PAGE = 100
HISTORY_PER_PAGE = 20
CHANGES_SHOWN = 200


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


class RosterTemplateView(ObjectPermissionMixin, SingleObjectMixin, View):
    """The blank roster template, .xlsx by default or ``?format=csv``."""

    permission_required = "projects.import_roster"
    queryset = Community.objects.select_related("sub_district")

    def get(self, request, *args, **kwargs):
        community = self.get_object()
        compounds = list(community.compounds.order_by("name").values_list("name", flat=True))
        filename = _("%(community)s household roster template") % {"community": community.name}
        if request.GET.get("format") == "csv":
            data, extension, content_type = template_csv(compounds=compounds), "csv", CSV_CONTENT_TYPE
        else:
            data, extension, content_type = template_xlsx(compounds=compounds), "xlsx", XLSX_CONTENT_TYPE
        return download(
            io.BytesIO(data),
            filename=f"{filename}.{extension}",
            fallback=f"roster-template-{community.pk}.{extension}",
            content_type=content_type,
        )


class RosterImportView(ObjectPermissionMixin, FormMixin, DetailView):
    """Upload a roster file; below, the community's import history."""

    permission_required = "projects.import_roster"
    queryset = Community.objects.select_related("sub_district")
    template_name = "projects/roster/import.html"
    context_object_name = "community"
    form_class = RosterUploadForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        history = selectors.roster_imports(self.object)
        context["page_obj"] = Paginator(history, HISTORY_PER_PAGE).get_page(self.request.GET.get("page"))
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        roster_import = roster_import_create(
            community=self.object, uploaded_by=request.user, filename=form.cleaned_data["file"].name, table=form.table
        )
        return redirect(roster_import)


class RosterImportObjectMixin(ObjectPermissionMixin):
    permission_required = "projects.import_roster"
    queryset = RosterImport.objects.select_related(
        "community__sub_district", "uploaded_by", "committed_by", "discarded_by"
    )


class RosterPreviewView(RosterImportObjectMixin, DetailView):
    """What an upload would do: every refused row with its reasons, then the counts of
    households to create, update and leave alone, and the button to import."""

    template_name = "projects/roster/preview.html"
    context_object_name = "roster_import"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roster_import = self.object
        context["community"] = roster_import.community
        errors = selectors.preview_errors(roster_import)
        context["error_page"] = Paginator(errors, ERRORS_PER_PAGE).get_page(self.request.GET.get("page"))
        context["page_obj"] = context["error_page"]
        if roster_import.status == RosterImport.Status.PENDING:
            changes = selectors.preview_changes(roster_import)
            context["changes"] = changes[:CHANGES_SHOWN]
            context["changes_hidden"] = max(0, len(changes) - CHANGES_SHOWN)
            creations = selectors.preview_creations(roster_import)
            context["creations"] = creations[:CHANGES_SHOWN]
            context["creations_hidden"] = max(0, len(creations) - CHANGES_SHOWN)
            context["warnings"] = selectors.preview_warnings(roster_import)
        return context


class RosterCommitView(RosterImportObjectMixin, SingleObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        roster_import = self.get_object()
        try:
            roster_import = roster_import_commit(roster_import=roster_import, by=request.user)
        except RosterCommitError as error:
            if error.already_committed:
                messages.info(request, error.message)
            else:
                messages.error(request, error.message)
            return redirect(roster_import)
        messages.success(
            request,
            _("Imported: %(create)s households created, %(update)s updated, %(unchanged)s unchanged.")
            % {
                "create": roster_import.create_count,
                "update": roster_import.update_count,
                "unchanged": roster_import.unchanged_count,
            },
        )
        return redirect(roster_import)


class RosterDiscardView(RosterImportObjectMixin, SingleObjectMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        roster_import = self.get_object()
        if roster_import_discard(roster_import=roster_import, by=request.user):
            messages.info(request, _("The upload was discarded; nothing was imported."))
        else:
            messages.info(request, _("This upload can no longer be discarded."))
        return redirect("projects:roster_import", roster_import.community_id)


class RosterErrorsView(RosterImportObjectMixin, SingleObjectMixin, View):
    """The refused rows as a workbook, with the reasons in an extra column."""

    def get(self, request, *args, **kwargs):
        roster_import = self.get_object()
        output = roster_xlsx(
            selectors.error_report_rows(roster_import), extra_headers=[_("Row in file"), _("Problems")]
        )
        audit.record_export(
            request, community=roster_import.community, what="roster rows to correct", obj=roster_import
        )
        name = _("Rows to correct - %(file)s") % {"file": roster_import.filename.rsplit(".", 1)[0]}
        return download(output, filename=f"{name}.xlsx", fallback=f"roster-errors-{roster_import.pk}.xlsx")


class RosterExportView(ObjectPermissionMixin, SingleObjectMixin, View):
    """The community's roster in the template's columns, ready to edit and import again.

    Building heads get only their buildings. Without ``view_phone`` phones are masked and
    without ``view_care_flags`` the care columns stay empty (an empty cell changes nothing
    when imported). Every household whose care flags leave the office is logged.
    """

    permission_required = "projects.export_roster"
    queryset = Community.objects.select_related("sub_district")

    def get(self, request, *args, **kwargs):
        community = self.get_object()
        user = request.user
        show_phone = user.has_perm("projects.view_phone", community)
        show_care = user.has_perm("projects.view_care_flags", community)
        households = selectors.roster_households(user, community)
        if show_care:
            roster_export_log(
                user=user,
                household_ids=selectors.care_flag_household_ids(households),
                community=community,
                request=request,
            )
        audit.record_export(request, community=community, what="roster", phones=show_phone, care_flags=show_care)
        output = roster_xlsx(selectors.roster_export_rows(households, show_phone=show_phone, show_care=show_care))
        stamp = _stamp()
        name = _("%(community)s household roster %(date)s") % {"community": community.name, "date": stamp}
        return download(output, filename=f"{name}.xlsx", fallback=f"roster-{community.pk}-{stamp}.xlsx")
