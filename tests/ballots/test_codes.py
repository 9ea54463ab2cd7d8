"""Household codes: generation, storage as a keyed hash, reissue and revoke with history,
sign-in by typing or scanning, the rate limit, the failure log, and the letters."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from projects.identity import current_household
from projects.models import AttemptReason, Household, HouseholdCode, HouseholdCodeAttempt
from projects.services import identity as codes
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_codes_are_long_and_free_of_look_alikes():
    drawn = {codes.generate_code() for _ in range(500)}
    assert len(drawn) == 500
    for code in drawn:
        assert len(code) == 12 and codes.is_well_formed(code)
        assert not set(code) & set("0O1IL")
    assert codes.format_code("K7M39XPQR2TA") == "K7M3 9XPQ R2TA"


@pytest.mark.parametrize(
    "typed", ["k7m3 9xpq r2ta", "K7M3-9XPQ-R2TA", "ｋ７ｍ３　９ＸＰＱ　Ｒ２ＴＡ", " K7M39XPQR2TA\n"]
)
def test_typing_is_forgiving(typed):
    assert codes.normalize_code(typed) == "K7M39XPQR2TA"


def test_only_a_keyed_hash_and_the_last_four_are_stored(world):
    issued = codes.issue_household_code(household=world.household, by=world.staff)
    record = HouseholdCode.objects.get(household=world.household)
    assert record.code_hash != issued.code and issued.code not in record.code_hash
    assert len(record.code_hash) == 64 and record.last4 == issued.code[-4:]
    with override_settings(SECRET_KEY="another-secret-key-for-this-test-only-xxxxxxxxxxxxxx"):
        assert codes.hash_code(issued.code) != record.code_hash  # useless without the server's key


def test_reissue_revokes_the_old_code_with_history(world):
    first = codes.issue_household_code(household=world.household, by=world.staff)
    second = codes.issue_household_code(household=world.household, by=world.admin)
    history = list(HouseholdCode.objects.filter(household=world.household).order_by("issued_at", "pk"))
    assert [c.is_active for c in history] == [False, True]
    assert history[0].revoked_by == world.admin and history[0].revoke_reason == codes.REISSUED
    with pytest.raises(codes.CodeError):
        codes.check_household_code(raw_code=first.code, client_address="10.0.0.1")
    assert codes.check_household_code(raw_code=second.code, client_address="10.0.0.1").household == world.household
    attempt = HouseholdCodeAttempt.objects.get()
    assert attempt.reason == AttemptReason.REVOKED


def test_revoke_needs_a_reason_and_is_recorded(world):
    issued = codes.issue_household_code(household=world.household, by=world.staff)
    with pytest.raises(ValueError):
        codes.revoke_household_code(household=world.household, by=world.staff, reason=" ")
    assert codes.revoke_household_code(household=world.household, by=world.staff, reason="信件遗失") == 1
    record = HouseholdCode.objects.get()
    assert record.revoked_by == world.staff and record.revoke_reason == "信件遗失"
    with pytest.raises(codes.CodeError):
        codes.check_household_code(raw_code=issued.code, client_address="10.0.0.1")
    assert codes.revoke_household_code(household=world.household, by=world.staff, reason="again") == 0


def test_bulk_issue_skips_or_replaces(world):
    unit_households = f.households(world.unit, 5, start_floor=2)
    codes.issue_household_code(household=world.household, by=world.staff)
    everyone = Household.objects.filter(unit=world.unit)
    issued = codes.issue_household_codes(households=everyone, by=world.staff, replace=False)
    assert {i.household.pk for i in issued} == {h.pk for h in unit_households}
    again = codes.issue_household_codes(households=everyone, by=world.staff, replace=True)
    assert len(again) == 6
    assert HouseholdCode.objects.filter(revoked_at__isnull=True).count() == 6
    assert HouseholdCode.objects.filter(revoked_at__isnull=False).count() == 6


def test_fifty_thousand_codes_hash_apart_and_repeatably():
    """A district's codes never share a hash, and a code always hashes the same (the speed of
    hashing is measured in bench/, not here)."""
    drawn = {codes.generate_code() for _ in range(50_000)}
    hashes = {codes.hash_code(c) for c in drawn}
    assert len(hashes) == len(drawn)
    sample = next(iter(drawn))
    assert codes.hash_code(sample) == codes.hash_code(sample)


class TestSignIn:
    def test_typing_the_code_asks_whose_home_then_signs_in_by_post(self, client, world):
        issued = codes.issue_household_code(household=world.household, by=world.staff)
        url = reverse("projects:household_enter")
        asked = client.post(url, {"code": issued.formatted.lower()})
        body = asked.content.decode()
        assert asked.status_code == 200 and "acting_household_id" not in client.session
        assert "进入 1号楼1单元101 的住户页面？" in body
        assert 'name="confirm" value="yes"' in body and "csrfmiddlewaretoken" in body
        response = client.post(url, {"code": issued.formatted.lower(), "confirm": "yes"})
        assert response.status_code == 302 and response["Location"] == reverse("projects:household_home")
        home = client.get(reverse("projects:household_home"))
        assert world.household.address in home.content.decode()
        assert HouseholdCode.objects.get().last_used_at is not None

    def test_next_is_followed_only_on_this_site(self, client, world):
        issued = codes.issue_household_code(household=world.household, by=world.staff)
        response = client.post(
            reverse("projects:household_enter"),
            {"code": issued.code, "confirm": "yes", "next": "https://evil.example/"},
        )
        assert response["Location"] == reverse("projects:household_home")

    def test_confirmation_without_the_csrf_token_is_refused(self, world):
        """Login CSRF: a page elsewhere posting a code must not sign its visitor in."""
        from django.test import Client

        issued = codes.issue_household_code(household=world.household, by=world.staff)
        forged = Client(enforce_csrf_checks=True)
        response = forged.post(reverse("projects:household_enter"), {"code": issued.code, "confirm": "yes"})
        assert response.status_code == 403 and "acting_household_id" not in forged.session
        assert HouseholdCode.objects.get().last_used_at is None

    def test_the_old_qr_link_no_longer_signs_in(self, client, world, caplog):
        """``GET /h/<code>/`` used to sign in, leaving the live code in access logs."""
        issued = codes.issue_household_code(household=world.household, by=world.staff)
        with caplog.at_level("DEBUG"):
            response = client.get(f"/h/{issued.code}/")
        assert response.status_code == 302 and response["Location"] == reverse("projects:household_enter")
        assert issued.code not in response["Location"]
        assert "acting_household_id" not in client.session
        assert issued.code not in caplog.text
        assert HouseholdCode.objects.get().last_used_at is None and not HouseholdCodeAttempt.objects.exists()

    def test_no_get_signs_in(self, client, world):
        issued = codes.issue_household_code(household=world.household, by=world.staff)
        for url in (
            f"/h/?code={issued.code}",
            f"/h/?code={issued.code}&confirm=yes",
            f"/h/{issued.code}/?confirm=yes",
            f"/h/home/?code={issued.code}",
        ):
            client.get(url)
            assert "acting_household_id" not in client.session, url

    def test_wrong_code_shows_an_error_and_is_logged_without_the_code(self, client, world):
        response = client.post(reverse("projects:household_enter"), {"code": "ABCD EFGH JKMN"}, REMOTE_ADDR="10.1.2.3")
        assert response.status_code == 200
        assert "not valid" in response.content.decode() or "无效" in response.content.decode()
        attempt = HouseholdCodeAttempt.objects.get()
        assert attempt.reason == AttemptReason.UNKNOWN
        assert attempt.ip_hash == codes.hash_client("10.1.2.3") and "10.1.2.3" not in attempt.ip_hash
        stored = " ".join(str(v) for v in HouseholdCodeAttempt.objects.values_list())
        assert "ABCDEFGHJKMN" not in stored and "ABCD" not in stored

    def test_malformed_code_explains_the_format(self, client):
        response = client.post(reverse("projects:household_enter"), {"code": "0000-1111"})
        assert response.status_code == 200
        assert HouseholdCodeAttempt.objects.get().reason == AttemptReason.MALFORMED

    def test_guessing_loop_is_stopped_by_the_rate_limit(self, client, world):
        issued = codes.issue_household_code(household=world.household, by=world.staff)
        url = reverse("projects:household_enter")
        statuses = []
        for _ in range(30):
            statuses.append(client.post(url, {"code": codes.generate_code()}, REMOTE_ADDR="10.9.9.9").status_code)
        assert statuses[:9] == [200] * 9 and set(statuses[9:]) == {429}
        # even the right code is refused from that client while blocked…
        blocked = client.post(url, {"code": issued.code}, REMOTE_ADDR="10.9.9.9")
        assert blocked.status_code == 429 and "acting_household_id" not in client.session
        assert "15" in blocked.content.decode()
        # …and every attempt was logged
        assert HouseholdCodeAttempt.objects.count() == 31
        assert HouseholdCodeAttempt.objects.filter(reason=AttemptReason.BLOCKED).count() == 21
        # another client is not affected
        assert client.post(url, {"code": issued.code, "confirm": "yes"}, REMOTE_ADDR="10.9.9.10").status_code == 302

    @override_settings(HOUSEHOLD_CODE_MAX_FAILURES=3)
    def test_limit_is_configurable(self, client):
        url = reverse("projects:household_enter")
        statuses = [client.post(url, {"code": codes.generate_code()}).status_code for _ in range(4)]
        assert statuses == [200, 200, 429, 429]

    def test_revoking_ends_sessions_opened_with_the_code(self, client, world, rf):
        issued = codes.issue_household_code(household=world.household, by=world.staff)
        client.post(reverse("projects:household_enter"), {"code": issued.code, "confirm": "yes"})
        assert client.get(reverse("projects:household_home")).status_code == 200
        codes.issue_household_code(household=world.household, by=world.staff)  # letter lost: reissued
        response = client.get(reverse("projects:household_home"))
        assert response.status_code == 302 and reverse("projects:household_enter") in response["Location"]

    def test_home_without_a_household_asks_for_the_code(self, client):
        response = client.get(reverse("projects:household_home"))
        assert response.status_code == 302 and reverse("projects:household_enter") in response["Location"]

    def test_staff_acting_for_a_household_are_recorded(self, client, world, rf):
        from projects.identity import household_actor

        request = rf.get("/")
        request.user = world.staff
        assert household_actor(request) == ("office", world.staff)
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        assert household_actor(request) == ("online", None)

    def test_current_household_costs_one_query(self, client, world, rf, django_assert_num_queries):
        issued = codes.issue_household_code(household=world.household, by=world.staff)
        client.post(reverse("projects:household_enter"), {"code": issued.code, "confirm": "yes"})
        request = rf.get("/")
        request.session = client.session
        assert request.session["acting_household_id"]  # loads the session row, which is not measured
        with django_assert_num_queries(1):
            assert current_household(request) == world.household
            assert current_household(request) == world.household


class TestLetters:
    def test_unit_batch_prints_one_letter_per_household_with_qr(self, client, world):
        f.households(world.unit, 3, start_floor=5)
        client.force_login(world.staff)
        url = reverse("projects:unit_letters", args=[world.unit.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"replace": "missing"})
        body = response.content.decode()
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert body.count('data-testid="code-letter"') == 4
        assert body.count("<svg") == 4 and "page-break" in body
        printed = re.findall(r'data-testid="letter-code">([^<]+)<', body)
        assert len(printed) == 4
        for code in printed:
            assert codes.check_household_code(raw_code=code, client_address="10.0.0.5")
        # the QR code carries the code in the fragment, which browsers never send
        for letter in response.context["letters"]:
            plain = letter["code"].replace(" ", "")
            assert letter["url"].endswith(f"/h/#{plain}") and f"/h/{plain}" not in letter["url"]
        # a second batch for "missing" finds nothing left to issue
        again = client.post(url, {"replace": "missing"})
        assert again.status_code == 302

    def test_building_batch_reissue_all(self, client, world):
        client.force_login(world.staff)
        first = codes.issue_household_code(household=world.household, by=world.staff)
        response = client.post(reverse("projects:building_letters", args=[world.building.pk]), {"replace": "all"})
        assert response.content.decode().count('data-testid="code-letter"') == 1
        with pytest.raises(codes.CodeError):
            codes.check_household_code(raw_code=first.code, client_address="10.0.0.6")

    def test_single_household_reissue_and_revoke_from_its_page(self, client, world):
        client.force_login(world.staff)
        url = reverse("projects:household_code", args=[world.household.pk])
        response = client.post(url, {"issue": ""})
        assert response.content.decode().count('data-testid="code-letter"') == 1
        page = client.get(url).content.decode()
        last4 = HouseholdCode.objects.get().last4
        assert last4 in page
        assert client.post(url, {"revoke": "", "reason": ""}).status_code == 200  # reason required
        response = client.post(url, {"revoke": "", "reason": "搬走了"})
        assert response.status_code == 302
        assert HouseholdCode.objects.get().revoke_reason == "搬走了"

    def test_codes_overview_counts_per_compound_and_unit(self, client, world):
        codes.issue_household_code(household=world.household, by=world.staff)
        client.force_login(world.staff)
        response = client.get(
            reverse("projects:household_codes", args=[world.community.pk]), {"compound": world.compound.pk}
        )
        assert response.status_code == 200
        compounds = {c.pk: c for c in response.context["compounds"]}
        assert (compounds[world.compound.pk].household_count, compounds[world.compound.pk].with_code) == (2, 1)
        units = {u.pk: u for u in response.context["units"]}
        assert (units[world.unit.pk].household_count, units[world.unit.pk].with_code) == (1, 1)
