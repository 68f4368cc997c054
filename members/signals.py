"""Signals other apps listen to without ``members`` importing them (members is the base app).

``membership_ended`` is sent inside the transaction in which a membership end takes effect (at once
for an end dated today, or when the projection job applies a scheduled one), so that a receiver's
writes commit or roll back with it. The amendments app closes ballots whose rejection became certain.
"""

from django.dispatch import Signal

# kwargs: organisation (Organisation), event (MembershipEvent)
membership_ended = Signal()
