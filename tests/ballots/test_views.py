"""Ballot pages end to end through the test client: staff create, open, enter papers, void,
count and publish; a household votes; the public sees only what it should."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.models import Ballot, BallotStatus, CastBallot, EligibleHousehold, OptionKind
from consult.services import ballots as services
from projects.models import Channel
from tests import factories as f

from .conftest import make_ballot, vote

pytestmark = pytest.mark.django_db


def local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def form_data(world, **overrides):
    now = timezone.now()
    data = {
        "title": "是否同意加装电梯",
        "description": "",
        "scope_kind": "unit",
        "unit": world.unit.pk,
        "option_set": "agree",
        "choices": "",
        "with_abstain": "on",
        "rule": "art278_major",
        "agreement_base": "participating",
        "opens_at": local(now),
        "closes_at": local(now + timedelta(days=7)),
        "notice_days": "7",
    }
    data.update(overrides)
    return data


class TestCreateAndEdit:
    def test_create_a_draft_then_open_it(self, client, world, tower):
        client.force_login(world.staff)
        response = client.post(reverse("consult:ballot_create", args=[world.community.pk]), form_data(world))
        ballot = Ballot.objects.get()
        assert response.status_code == 302 and response["Location"] == ballot.get_absolute_url()
        assert ballot.status == BallotStatus.DRAFT and ballot.unit == world.unit
        assert [o.kind for o in ballot.options.all()] == ["for", "against", "abstain"]
        client.post(reverse("consult:ballot_open", args=[ballot.pk]))
        ballot.refresh_from_db()
        assert ballot.status == BallotStatus.OPEN and EligibleHousehold.objects.filter(ballot=ballot).count() == 10
        page = client.get(ballot.get_absolute_url())
        assert page.status_code == 200 and 'data-testid="turnout"' in page.content.decode()

    def test_choice_with_custom_thresholds(self, client, world, tower):
        client.force_login(world.admin)
        data = form_data(
            world,
            option_set="choice",
            choices="方案A\n方案B\n\n方案C",
            rule="custom",
            participation_heads_ratio="50%",
            participation_heads_comparison="at_least",
            agreement_area_ratio="2/3",
            agreement_area_comparison="more_than",
            agreement_base="eligible",
        )
        response = client.post(reverse("consult:ballot_create", args=[world.community.pk]), data)
        assert response.status_code == 302
        ballot = Ballot.objects.get()
        assert [o.kind for o in ballot.options.all()] == ["choice", "choice", "choice", "abstain"]
        assert [o.label for o in ballot.options.all()][:3] == ["方案A", "方案B", "方案C"]
        assert ballot.custom_thresholds == [
            {
                "stage": "participation",
                "measure": "heads",
                "base": "eligible",
                "ratio": "1/2",
                "comparison": "at_least",
            },
            {"stage": "agreement", "measure": "area", "base": "eligible", "ratio": "2/3", "comparison": "more_than"},
        ]

    @pytest.mark.parametrize(
        "overrides,field",
        [
            ({"unit": ""}, "unit"),
            ({"option_set": "choice", "choices": "只有一个"}, "choices"),
            ({"option_set": "choice", "choices": "A\nA"}, "choices"),
            ({"rule": "custom", "agreement_heads_ratio": "150%"}, "agreement_heads_ratio"),
            ({"rule": "custom"}, "agreement_heads_ratio"),
            ({"closes_at": "2020-01-01T00:00"}, "closes_at"),
            ({"scope_kind": "building", "building": "999999"}, "building"),
            ({"notice_days": "0"}, "notice_days"),
        ],
    )
    def test_bad_input_is_shown_next_to_the_field(self, client, world, overrides, field):
        client.force_login(world.staff)
        response = client.post(
            reverse("consult:ballot_create", args=[world.community.pk]), form_data(world, **overrides)
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Ballot.objects.exists()

    def test_another_communitys_building_is_not_offered(self, client, world):
        client.force_login(world.staff)
        foreign_building = world.foreign_household.unit.building
        response = client.post(
            reverse("consult:ballot_create", args=[world.community.pk]),
            form_data(world, scope_kind="building", building=foreign_building.pk),
        )
        assert "building" in response.context["form"].errors

    def test_prefilled_from_a_project(self, client, world):
        project = f.project(community=world.community)
        client.force_login(world.staff)
        response = client.get(reverse("consult:ballot_create", args=[world.community.pk]), {"project": project.pk})
        assert response.context["form"].initial["scope_kind"] == "project"

    def test_edit_draft_and_extend_open(self, client, world, tower):
        client.force_login(world.staff)
        ballot = make_ballot(world, open_it=False)
        url = reverse("consult:ballot_edit", args=[ballot.pk])
        assert client.get(url).status_code == 200
        client.post(url, form_data(world, title="新的问题"))
        ballot.refresh_from_db()
        assert ballot.title == "新的问题"
        services.ballot_open(ballot=ballot, by=world.staff)
        later = ballot.closes_at + timedelta(days=2)
        response = client.post(url, {"closes_at": local(later), "reason": "延长"})
        assert response.status_code == 302
        ballot.refresh_from_db()
        assert local(ballot.closes_at) == local(later) and ballot.title == "新的问题"


class TestResidentVoting:
    def test_household_votes_once(self, client, act_as, world, tower):
        ballot = make_ballot(world)
        act_as(client, world.household)
        home = client.get(reverse("projects:household_home")).content.decode()
        assert ballot.title in home and reverse("consult:ballot_vote", args=[ballot.pk]) in home
        url = reverse("consult:ballot_vote", args=[ballot.pk])
        agree = ballot.options.get(kind=OptionKind.FOR)
        assert client.post(url, {}).status_code == 200  # nothing chosen: asked again
        response = client.post(url, {"option": agree.pk})
        assert response.status_code == 302
        cast = CastBallot.objects.get(ballot=ballot)
        assert (cast.household, cast.channel, cast.entered_by) == (world.household, Channel.ONLINE, None)
        page = client.get(url).content.decode()
        assert 'data-testid="vote-recorded"' in page
        # a double submit (second tab, back button) is refused, never counted
        again = client.post(url, {"option": ballot.options.get(kind=OptionKind.AGAINST).pk})
        assert again.status_code == 200 and CastBallot.objects.filter(ballot=ballot).count() == 1
        home = client.get(reverse("projects:household_home")).content.decode()
        assert reverse("consult:ballot_vote", args=[ballot.pk]) not in home

    def test_nothing_chosen_is_the_apps_message_tied_to_the_choices(self, client, act_as, world, tower):
        """No browser pop-up (the form is novalidate): a summary at the top links to the choice
        group, which carries aria-invalid and points at its message."""
        ballot = make_ballot(world)
        act_as(client, world.household)
        page = client.post(reverse("consult:ballot_vote", args=[ballot.pk]), {}).content.decode()
        assert 'data-testid="error-summary"' in page and 'href="#id_option"' in page
        assert '<fieldset id="id_option" aria-invalid="true" aria-describedby="option-error">' in page
        assert 'id="option-error"' in page and "novalidate" in page

    def test_staff_using_a_household_code_is_recorded_as_office_entry(self, client, act_as, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        act_as(client, world.household)
        client.post(reverse("consult:ballot_vote", args=[ballot.pk]), {"option": ballot.options.first().pk})
        cast = CastBallot.objects.get()
        assert cast.channel == Channel.OFFICE and cast.entered_by == world.staff

    def test_option_of_another_ballot_is_a_form_error(self, client, act_as, world, tower):
        ballot = make_ballot(world)
        other = make_ballot(world)
        act_as(client, world.household)
        response = client.post(reverse("consult:ballot_vote", args=[ballot.pk]), {"option": other.options.first().pk})
        assert response.status_code == 200 and not CastBallot.objects.exists()

    def test_closed_ballot_takes_no_online_votes(self, client, act_as, world, tower):
        ballot = make_ballot(world, now=timezone.now() - timedelta(days=30))
        act_as(client, world.household)
        url = reverse("consult:ballot_vote", args=[ballot.pk])
        page = client.get(url).content.decode()
        assert 'data-testid="submit-vote"' not in page
        client.post(url, {"option": ballot.options.first().pk})
        assert not CastBallot.objects.exists()

    @pytest.mark.parametrize("pk", [0, 999999])
    def test_unknown_ballot_is_404(self, client, act_as, world, pk):
        act_as(client, world.household)
        assert client.get(reverse("consult:ballot_vote", args=[pk])).status_code == 404
        assert client.get(reverse("consult:ballot_public", args=[pk])).status_code == 404


class TestStaffEntry:
    def entry(self, client, ballot, **data):
        data.setdefault("channel", "paper")
        data.setdefault("option", ballot.options.get(kind=OptionKind.FOR).pk)
        return client.post(reverse("consult:ballot_enter", args=[ballot.pk]), data)

    def test_stack_of_papers_by_serial(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        for serial in ("1", f"{ballot.pk}-0002", "3"):
            response = self.entry(client, ballot, paper_serial=serial)
            assert response.status_code == 302 and "channel=paper" in response["Location"]
        casts = CastBallot.objects.filter(ballot=ballot).order_by("eligible__serial")
        assert [c.paper_reference for c in casts] == [f"{ballot.pk}-000{i}" for i in (1, 2, 3)]
        assert all(c.entered_by == world.staff and c.channel == Channel.PAPER for c in casts)

    def test_reused_serial_is_rejected_with_a_message(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        self.entry(client, ballot, paper_serial="A-17", unit=world.unit.pk, room=tower[1].room)
        response = self.entry(client, ballot, paper_serial="A-17", unit=world.unit.pk, room=tower[2].room)
        assert response.status_code == 200
        assert "A-17" in str(response.context["form"].errors["paper_serial"])
        assert CastBallot.objects.filter(ballot=ballot).count() == 1

    def test_household_that_voted_online_is_refused_on_paper(self, client, world, tower):
        ballot = make_ballot(world)
        vote(ballot, world.household)
        client.force_login(world.staff)
        response = self.entry(client, ballot, paper_serial="1")
        assert response.status_code == 200 and response.context["form"].non_field_errors()
        assert CastBallot.objects.filter(ballot=ballot).count() == 1

    def test_serial_and_household_must_agree(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        response = self.entry(client, ballot, paper_serial="1", unit=world.unit.pk, room=tower[3].room)
        assert "paper_serial" in response.context["form"].errors
        response = self.entry(client, ballot, paper_serial="", unit=world.unit.pk, room="9999")
        assert response.status_code == 200 and not CastBallot.objects.exists()

    def test_meeting_and_visit_entries(self, client, world, tower):
        from consult.models import Meeting

        meeting = Meeting.objects.create(
            community=world.community, topic="议事会", starts_at=timezone.now(), place="会议室"
        )
        ballot = make_ballot(world)
        client.force_login(world.staff)
        assert (
            "meeting"
            in self.entry(client, ballot, channel="meeting", unit=world.unit.pk, room="101").context["form"].errors
        )
        self.entry(client, ballot, channel="meeting", meeting=meeting.pk, unit=world.unit.pk, room="101")
        self.entry(client, ballot, channel="home_visit", unit=world.unit.pk, room=tower[1].room)
        assert set(CastBallot.objects.values_list("channel", flat=True)) == {"meeting", "home_visit"}
        panel = client.get(reverse("consult:meeting", args=[meeting.pk])).content.decode()
        assert ballot.title in panel

    def test_void_from_the_list_then_enter_again(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        self.entry(client, ballot, paper_serial="1")
        cast = CastBallot.objects.get()
        listing = client.get(reverse("consult:ballot_casts", args=[ballot.pk])).content.decode()
        assert reverse("consult:cast_void", args=[cast.pk]) in listing
        assert client.post(reverse("consult:cast_void", args=[cast.pk]), {"reason": ""}).status_code == 200
        client.post(reverse("consult:cast_void", args=[cast.pk]), {"reason": "勾选了两个选项"})
        cast.refresh_from_db()
        assert cast.voided_by == world.staff
        response = self.entry(client, ballot, paper_serial="1", option=ballot.options.get(kind=OptionKind.ABSTAIN).pk)
        assert response.status_code == 302
        assert CastBallot.objects.filter(ballot=ballot).count() == 2
        voided = client.get(reverse("consult:ballot_casts", args=[ballot.pk]), {"voided": "1"}).content.decode()
        assert "勾选了两个选项" in voided

    def test_cast_list_search_and_bad_page(self, client, world, tower):
        ballot = make_ballot(world)
        vote(ballot, tower[2])
        client.force_login(world.staff)
        url = reverse("consult:ballot_casts", args=[ballot.pk])
        assert client.get(url, {"q": tower[2].room, "page": "zz"}).status_code == 200
        assert client.get(url, {"q": "不存在"}).context["page_obj"].paginator.count == 0


class TestCountPublishNotice:
    def test_count_publish_and_show_on_the_noticeboard(self, client, world, tower):
        ballot = make_ballot(world, now=timezone.now() - timedelta(days=8))
        for household in tower[:9]:
            vote(ballot, household, now=ballot.opens_at + timedelta(hours=1))
        client.force_login(world.staff)
        board = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
        assert ballot.title in board and 'data-testid="noticeboard-outcome"' not in board  # open: no numbers
        client.post(reverse("consult:ballot_close", args=[ballot.pk]))
        ballot.refresh_from_db()
        assert ballot.status == BallotStatus.CLOSED and ballot.passed
        page = client.get(ballot.get_absolute_url()).content.decode()
        assert "✓" in page and 'data-testid="condition"' in page
        board = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
        assert 'data-testid="noticeboard-outcome"' not in board  # counted but not yet published
        client.post(reverse("consult:ballot_publish", args=[ballot.pk]), {"notice_days": "20"})
        ballot.refresh_from_db()
        assert ballot.notice_days == 20 and ballot.published_by == world.staff
        client.logout()
        board = client.get(reverse("projects:noticeboard", args=[world.compound.pk])).content.decode()
        assert 'data-testid="noticeboard-outcome"' in board and "≥" in board
        notice = client.get(reverse("consult:ballot_notice", args=[ballot.pk])).content.decode()
        assert ballot.title in notice and "✓" in notice
        assert world.household.owner_names not in notice

    def test_counting_before_closing_is_refused_with_a_message(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        response = client.post(reverse("consult:ballot_close", args=[ballot.pk]), follow=True)
        ballot.refresh_from_db()
        assert ballot.status == BallotStatus.OPEN
        assert list(response.context["messages"])

    def test_get_on_post_only_actions(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        assert client.get(reverse("consult:ballot_open", args=[ballot.pk])).status_code == 405

    def test_objection_by_household_and_by_staff_then_reply(self, client, act_as, world, tower):
        ballot = make_ballot(world, now=timezone.now() - timedelta(days=8))
        vote(ballot, world.household, now=ballot.opens_at)
        services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at)
        services.ballot_publish(ballot=ballot, by=world.admin)
        act_as(client, world.household)
        response = client.post(reverse("consult:ballot_object", args=[ballot.pk]), {"text": "一楼采光受影响"})
        assert response.status_code == 302
        client.force_login(world.staff)
        client.post(
            reverse("consult:ballot_objection_add", args=[ballot.pk]),
            {"channel": "phone", "name": "李阿姨", "text": "电话反映噪音"},
        )
        objections = list(ballot.objections.order_by("pk"))
        assert [o.channel for o in objections] == ["online", "phone"]
        assert objections[0].entered_by is None and objections[0].household == world.household
        assert objections[1].entered_by == world.staff
        client.post(reverse("consult:objection_reply", args=[objections[0].pk]), {"reply": "已协调"})
        objections[0].refresh_from_db()
        assert objections[0].reply == "已协调" and objections[0].replied_by == world.staff
        page = client.get(ballot.get_absolute_url()).content.decode()
        assert "一楼采光受影响" in page and "已协调" in page

    def test_objection_needs_a_household_or_name(self, client, world, tower):
        ballot = make_ballot(world, now=timezone.now() - timedelta(days=8))
        services.ballot_close(ballot=ballot, by=world.admin, now=ballot.closes_at)
        services.ballot_publish(ballot=ballot, by=world.admin)
        client.force_login(world.staff)
        response = client.post(
            reverse("consult:ballot_objection_add", args=[ballot.pk]), {"channel": "phone", "text": "匿名"}
        )
        assert response.status_code == 200 and "name" in response.context["form"].errors


class TestPrintables:
    def test_paper_ballots_per_unit(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        page = client.get(reverse("consult:ballot_papers", args=[ballot.pk]), {"unit": world.unit.pk}).content.decode()
        assert page.count('data-testid="paper-ballot"') == 10
        assert f"{ballot.pk}-0001" in page and "signature-line" in page and world.household.address in page
        assert page.count("page-break") == 9

    def test_draft_has_no_papers_yet(self, client, world):
        ballot = make_ballot(world, open_it=False)
        client.force_login(world.staff)
        page = client.get(reverse("consult:ballot_papers", args=[ballot.pk])).content.decode()
        assert 'data-testid="paper-ballot"' not in page

    def test_bad_filter_values_do_not_break_the_page(self, client, world, tower):
        ballot = make_ballot(world)
        client.force_login(world.staff)
        url = reverse("consult:ballot_papers", args=[ballot.pk])
        assert client.get(url, {"unit": "abc", "building": "-1"}).status_code == 200


class TestPanels:
    def test_dashboard_project_and_list(self, client, world, tower):
        project = f.project(community=world.community)
        project.units.add(world.unit)
        ballot = make_ballot(world, scope_kind="project", target=project)
        vote(ballot, world.household)
        client.force_login(world.staff)
        dashboard = client.get(reverse("projects:community", args=[world.community.pk])).content.decode()
        assert 'data-testid="dashboard-ballots"' in dashboard and "1 / 10" in dashboard
        project_page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
        assert 'data-testid="project-ballots"' in project_page and ballot.title in project_page
        listing = client.get(reverse("consult:ballot_list", args=[world.community.pk]), {"q": "电梯", "status": "open"})
        assert ballot in listing.context["page_obj"].object_list
        assert (
            client.get(reverse("consult:ballot_list", args=[world.community.pk]), {"status": "nonsense"}).status_code
            == 200
        )
        nav = listing.content.decode()
        assert reverse("consult:ballot_list", args=[world.community.pk]) in nav and "表决" in nav
