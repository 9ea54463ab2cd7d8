"""The "generate in the background" panel on the household codes page of one compound."""

from projects.sections import Section, compound_codes_panels


def compound_letters_panel(compound, request):
    if not request.user.has_perm("projects.manage_household_codes", compound):
        return None
    return {"compound": compound}


compound_codes_panels.register(
    Section("compound_letters", "notify/_compound_letters_panel.html", compound_letters_panel, order=10)
)
