"""Where written authorisations (委托书) show up: a panel on the household's staff page."""

from projects.sections import Section, household_staff_panels

from ..selectors.proxies import authorisations_of_household


def household_panel_context(household, request):
    user = request.user
    if not user.has_perm("consult.view_proxies", household):
        return None
    return {
        "household": household,
        "authorisations": list(authorisations_of_household(household)),
        "can_add": user.has_perm("consult.add_proxy", household),
        "can_revoke": user.has_perm("consult.revoke_proxy", household),
        "can_view_phone": user.has_perm("projects.view_phone", household),
    }


household_staff_panels.register(
    Section("proxies", "consult/proxies/_household_panel.html", household_panel_context, order=50)
)
