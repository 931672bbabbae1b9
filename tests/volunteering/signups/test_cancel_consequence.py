"""What cancelling costs, said before a member confirms (`signups.selectors.cancel_consequence`)."""

import pytest

from volunteering.signups import selectors
from volunteering.signups.models import SignUp


@pytest.mark.parametrize(
    ("state", "waitlist_length", "message"),
    [
        (SignUp.State.WAITLISTED, 3, selectors.CANCEL_LEAVES_WAITLIST),
        (SignUp.State.PENDING, 3, selectors.CANCEL_WITHDRAWS_REQUEST),
        (SignUp.State.APPROVED, 2, selectors.CANCEL_GIVES_PLACE_AWAY),
        (SignUp.State.APPROVED, 0, selectors.CANCEL_FREES_PLACE),
    ],
)
def test_cancel_consequence_by_state(state, waitlist_length, message):
    signup = SignUp(state=state)
    assert selectors.cancel_consequence(signup=signup, waitlist_length=waitlist_length) == str(
        message
    )
