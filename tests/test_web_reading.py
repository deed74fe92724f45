"""Reading web pages as a browser shows them: the address as typed, the text a reader sees,
the charset a browser uses, a page cut short said for what it is."""

from __future__ import annotations

from knowledge.read.address import is_web_address

from .conftest import DATA
from .pages import article_html, serving
from .test_web import _cli


def test_an_address_with_spaces_around_it_is_fetched_as_an_address():
    """As a trailing space is: a leading one (pasted) does not make it a path."""
    with serving() as running:
        url = running.page("/nurse", article_html(DATA / "nurse.md"))
        result = _cli("--article", f" {url} ", "ask", "how much do nurses earn?")
    assert result.returncode == 0, result.stderr
    assert "nurse" in result.stdout.lower()
    assert all(is_web_address(given) for given in (f"  {url}", f"\t{url}\n"))


def test_a_host_name_dns_cannot_look_up_is_said_naming_the_address():
    """A label over 63 characters (or an empty one) is no host name: said as one DNS
    cannot look up, not in Python's own words."""
    for address in ("http://" + "a" * 64 + ".example/nurse", "http://nurse..example/pay"):
        result = _cli("--article", address, "ask", "what does a nurse earn?")
        assert result.returncode == 2, result.stderr
        assert result.stderr == f"career-chat: error: {address}: not a web address (a host name DNS cannot look up); check it\n"
