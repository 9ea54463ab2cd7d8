"""A resident who submits a wish online may tick consent to SMS; unticked records nothing."""

import pytest
from django.urls import reverse

from consult.models import Wish
from notify.models import ContactConsent
from notify.policy import consented_phones
from projects.models import Channel

from .test_public_views import submit_data

pytestmark = pytest.mark.django_db


def test_ticked_consent_is_recorded_as_the_residents_own_online_entry(client, world):
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    assert "短信" in client.get(url).content.decode()  # the wording residents read is Chinese
    client.post(url, submit_data(contact_phone="136 1234 5678", sms_consent="on"))
    consent = ContactConsent.objects.get()
    wish = Wish.objects.get()
    assert consent.granted and consent.channel == Channel.ONLINE and consent.entered_by is None
    assert consent.phone == "13612345678" and consent.household is None
    assert consent.community == world.compound.community and str(wish.pk) in consent.note
    assert consented_phones(world.compound.community, ["13612345678"]) == {"13612345678": True}


def test_unticked_records_nothing(client, world):
    client.post(reverse("consult:wish_submit", args=[world.compound.pk]), submit_data())
    assert Wish.objects.exists() and not ContactConsent.objects.exists()


def test_signed_in_household_consents_for_its_phone_on_file(client, act_as, world):
    world.household.phone = "13800001111"
    world.household.save(update_fields=["phone"])
    act_as(client, world.household)
    url = reverse("consult:wish_submit", args=[world.compound.pk])
    page = client.get(url).content.decode()
    assert "1111" in page and "13800001111" not in page  # the number stays masked
    client.post(url, submit_data(contact_name="", contact_phone="", consent="", sms_consent="on"))
    consent = ContactConsent.objects.get()
    assert consent.household == world.household and consent.phone == "13800001111"
    assert consent.channel == Channel.ONLINE and consent.entered_by is None


def test_household_without_a_phone_is_not_asked(client, act_as, world):
    world.household.phone = ""
    world.household.save(update_fields=["phone"])
    act_as(client, world.household)
    form = client.get(reverse("consult:wish_submit", args=[world.compound.pk])).context["form"]
    assert "sms_consent" not in form.fields
