"""What ``consult`` tells other apps without importing them (they import ``consult``)."""

from django.dispatch import Signal

# A resident agreed, when submitting online, to be contacted by SMS. Sent inside the
# submission's transaction with ``community``, ``household`` (or None), ``phone`` and ``note``;
# ``notify`` records it as the resident's own consent.
sms_consent_given = Signal()
