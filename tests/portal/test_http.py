"""The one client address (`portal.http.client_address`): X-Forwarded-For is believed only from
a configured trusted proxy, and then read from the right, past the trusted hops."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from portal.http import client_address


def request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_a_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request("10.0.0.2", "198.51.100.1")) == "10.0.0.2"


def test_a_trusted_proxy_is_believed_by_its_exact_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request("10.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_a_trusted_proxy_is_believed_by_its_network(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    assert client_address(request("10.1.2.3", "198.51.100.1")) == "198.51.100.1"
    assert client_address(request("2001:db8::5", "2001:db8:ffff::1, 198.51.100.9")) == (
        "198.51.100.9"
    )


def test_the_rightmost_untrusted_entry_is_the_client_and_forged_entries_left_of_it_count_not(
    settings,
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    forwarded = "1.1.1.1, 198.51.100.1, 10.0.0.7"  # forged, the client, an inner proxy
    assert client_address(request("10.0.0.1", forwarded)) == "198.51.100.1"


def test_when_every_hop_is_trusted_the_outermost_proxy_stands_in(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("10.0.0.1", "10.0.0.9, 10.0.0.7")) == "10.0.0.9"
    assert client_address(request("10.0.0.1")) == "10.0.0.1"
    assert client_address(request("10.0.0.1", "")) == "10.0.0.1"


@pytest.mark.parametrize("forwarded", ["unknown", "198.51.100.1, not-an-address", "  ,  "])
def test_an_entry_that_is_not_an_address_is_never_the_answer(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    # Nothing left of an entry that is not an address can be vouched for: the proxy stands in.
    assert client_address(request("10.0.0.1", forwarded)) == "10.0.0.1"


def test_addresses_are_normalised(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request("10.0.0.1", " 2001:DB8:0::1 ")) == "2001:db8::1"
    assert client_address(request("2001:DB8::2")) == "2001:db8::2"


def test_a_socket_without_an_ip_address_is_passed_through(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_address(request("", "198.51.100.1")) == ""


def test_a_misconfigured_proxy_list_is_reported(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.300"]
    with pytest.raises(ImproperlyConfigured):
        client_address(request("10.0.0.1"))
