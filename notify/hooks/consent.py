"""A resident's own consent to SMS, ticked on a ``consult`` form, becomes a ContactConsent."""

from django.dispatch import receiver

from consult.signals import sms_consent_given
from projects.models import Channel

from ..services.outbox import record_consent


@receiver(sms_consent_given)
def record_online_consent(sender, *, community, household, phone, note, **kwargs):
    record_consent(
        community=community, household=household, phone=phone, granted=True, channel=Channel.ONLINE, by=None, note=note
    )
