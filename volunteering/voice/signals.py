"""What residents' voice tells listeners it does not know (the staff alerts): a resident sent a
request online. A state change is `workflows.transitioned`."""

from django.dispatch import Signal

# Sent with `feedback` (the Feedback, just submitted), inside the transaction: a listener that
# acts outside the database waits for the commit (`transaction.on_commit`).
feedback_submitted = Signal()
