from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a resident's action reached us. Shared by every feature that records proxy entries,
    so reports can compare channels across wishes, ballots and sign-offs."""

    ONLINE = "online", _("Online (by the resident)")
    PAPER = "paper", _("Paper form")
    MEETING = "meeting", _("At a meeting")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    HOTLINE = "hotline", _("12345 hotline")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    BUILDING_HEAD = "building_head", _("Via building head")
    QUESTIONNAIRE = "questionnaire", _("Paper questionnaire")
    OFFICE = "office", _("At the community office")
