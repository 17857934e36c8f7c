"""What `drives` tells the apps above it, which it may not import.

`known_person_signed_up` is sent once the transaction that registered a person already
on record through the public sign-up page has committed (`registration=`). The page
tells that person nothing from their record (it answers alike for anyone, see
`public_views`); `outreach` receives the signal and writes to the phone or e-mail on
record when the record says they may not give on the drive's date. A signal rather than
a scheduler pass: the message goes out minutes after the sign-up (the scheduler's daily
job would find it up to a day later), and nothing has to mark which registrations were
already looked at (the message's own key makes a second sign-up queue nothing). It is
sent with `send_robust`: a receiver's failure is logged, never shown to the person
whose registration is already saved.
"""

import logging

from django.dispatch import Signal

log = logging.getLogger(__name__)

known_person_signed_up = Signal()


def send_known_person_signed_up(registration) -> None:
    for receiver, result in known_person_signed_up.send_robust(
            sender=type(registration), registration=registration):
        if isinstance(result, Exception):
            log.error("drives: %s failed for registration %s", receiver, registration.pk,
                      exc_info=result)
