"""Words the app writes into a ballot (its fixed options, its history notes) are shown in
the reader's language, whichever language was active when they were written."""

import pytest
from django.urls import reverse
from django.utils import translation

from consult.models import OptionKind
from consult.services import ballots as services

from .conftest import make_ballot

pytestmark = pytest.mark.django_db


def test_fixed_options_follow_the_reader_language(world):
    with translation.override("zh-hans"):
        ballot = make_ballot(world)
    options = {o.kind: o for o in ballot.options.all()}
    with translation.override("en"):
        assert [str(options[k]) for k in (OptionKind.FOR, OptionKind.AGAINST, OptionKind.ABSTAIN)] == [
            "Agree",
            "Disagree",
            "Abstain",
        ]
    with translation.override("zh-hans"):
        assert options[OptionKind.FOR].display_label == "同意"
        assert options[OptionKind.ABSTAIN].display_label == "弃权"


def test_a_choice_keeps_the_staff_words(world):
    ballot = make_ballot(world, option_set="choice", choices=["方案A", "方案B"])
    with translation.override("en"):
        labels = [o.display_label for o in ballot.options.all()]
    assert labels == ["方案A", "方案B", "Abstain"]


def test_history_notes_written_in_chinese_read_in_english(client, world):
    with translation.override("zh-hans"):
        ballot = make_ballot(world)
    opened = ballot.events.get(action="opened")
    with translation.override("zh-hans"):
        assert opened.display_note == "有表决权的户共1户"
    client.force_login(world.admin)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("consult:ballot", args=[ballot.pk])).content.decode()
    assert "1 eligible households" in html
    assert "有表决权" not in html
    assert "同意" not in html


def test_staff_notes_are_shown_as_typed(world):
    ballot = make_ballot(world)
    services.ballot_cancel(ballot=ballot, by=world.admin, reason="Typo in the question")
    with translation.override("zh-hans"):
        assert ballot.events.get(action="cancelled").display_note == "Typo in the question"
