"""How many failed sign-ins are allowed, the same for every way in: the member login, the
Wagtail admin login (`portal.accounts`) and the API's token endpoint (`portal.api_auth`).

Failures are counted three ways, each in a window of 15 minutes from the first failure:
one username from one address (a guesser is stopped at once, while the account's owner can still
sign in from elsewhere); one address whatever the usernames (a few passwords tried on many
accounts); one username from every address together (one account guessed from many addresses).
While any count is used up, signing in is refused before the password is checked, a right one
too, with the same answer whether or not the username exists. A successful sign-in clears only
its own username-and-address count: never the address's (an account of one's own would
otherwise reset it) nor the username's. Each counted failure is also kept as a `LoginFailure`
row, which the city reads in the admin (登录失败记录); a refusal while locked is not (it would
let a flood write without bound)."""

from django.utils.translation import gettext_lazy as _

from portal.models import LoginFailure
from portal.ratelimit import Limit

FAILURE_WINDOW = 15 * 60  # seconds
PER_USERNAME_AND_ADDRESS = Limit("login-username-address", 10, FAILURE_WINDOW)
PER_ADDRESS = Limit("login-address", 30, FAILURE_WINDOW)
PER_USERNAME = Limit("login-username", 50, FAILURE_WINDOW)

TOO_MANY_FAILED_LOGINS = _("登录失败次数过多，请 15 分钟后再试。")


def _username(username: str) -> str:
    return username.strip().casefold()


def _counts(username: str, address: str) -> list[tuple[Limit, tuple[str, ...]]]:
    name = _username(username)
    return [
        (PER_USERNAME_AND_ADDRESS, (name, address)),
        (PER_ADDRESS, (address,)),
        (PER_USERNAME, (name,)),
    ]


def login_locked(*, username: str, address: str) -> bool:
    return any(limit.exceeded(*parts) for limit, parts in _counts(username, address))


def login_failed(*, username: str, address: str, way: str) -> None:
    """Count the failure against every limit and record it for the city (`LoginFailure`)."""
    for limit, parts in _counts(username, address):
        limit.hit(*parts)
    LoginFailure.objects.create(
        username=username[:150], address=address[:45], way=way or LoginFailure.Way.SITE
    )


def code_failed(*, phone: str, address: str) -> None:
    """Record a wrong password-reset code typed for `phone` for the city (`LoginFailure`); the
    code's own limits are `volunteering.accounts.services`'s."""
    LoginFailure.objects.create(
        username=phone[:150], address=address[:45], way=LoginFailure.Way.RESET_CODE
    )


def login_succeeded(*, username: str, address: str) -> None:
    PER_USERNAME_AND_ADDRESS.reset(_username(username), address)
