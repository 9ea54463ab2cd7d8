"""The registry's tabs on a community's staff pages: finding a household, the roster
import and export, and the staff list."""

from django.utils.translation import gettext_lazy as _

from ..sections import Tab, community_tabs

community_tabs.register(
    Tab("search", _("Find a household"), "projects:household_search", order=70, permission="projects.view_registry")
)
community_tabs.register(
    Tab("roster", _("Import / export"), "projects:roster_import", order=80, permission="projects.import_roster")
)
# Building heads may export their buildings but not import: they get the export link alone.
community_tabs.register(
    Tab(
        "roster_export",
        _("Export roster (.xlsx)"),
        "projects:roster_export",
        order=80,
        permission="projects.export_roster",
        unless="projects.import_roster",
    )
)
community_tabs.register(Tab("members", _("Staff"), "projects:members", order=90, permission="projects.manage_members"))
