"""What activities tell listeners they do not know (points, figures): the hours of an attended
sign-up corrected without a change of state (a state change is `workflows.transitioned`)."""

from django.dispatch import Signal

# Sent with `instance` (the SignUp) and `by` (who corrected it), inside the transaction.
attendance_corrected = Signal()
