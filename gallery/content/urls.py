"""Checking URLs written in room files: schemes, host names, and characters browsers misread.

Every URL a room file gives (a link, a video page, a stream, the contact) ends up in an
`href`, an iframe or the Content-Security-Policy header, so it is refused unless it reads the
same to this module, to a browser and to a header parser.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache
from urllib.parse import urlsplit

import idna

from .paths import SCHEME

# An ASCII host name (RFC 1123): labels of letters, digits and inner hyphens, joined by dots.
HOSTNAME = re.compile(
    r"(?=.{1,253}\Z)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)
# Characters that end a header value or an attribute, or that browsers read as a slash.
FORBIDDEN = {
    "\\": "a backslash",
    '"': "a double quote",
    "'": "an apostrophe",
    "`": "a backquote",
    "<": "'<'",
    ">": "'>'",
    ";": "';'",
}
_FORBIDDEN_FOUND = re.compile("[" + re.escape("".join(FORBIDDEN)) + "]")
# The local part of an email address: RFC 5322 atoms, without the characters above.
LOCAL_PART = re.compile(r"[A-Za-z0-9.!#$%&*+/=?^_{|}~-]{1,64}")
# A last label made of digits (or 0x...) makes a browser read the host as an IPv4 address.
NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)")
SHOWN_LENGTH = 120
C0_AND_SPACE = "".join(map(chr, range(0x21)))
TAB_AND_NEWLINE = dict.fromkeys(map(ord, "\t\n\r"))
# Schemes whose URLs a browser parses with "\\" read as "/" (the WHATWG "special" schemes).
SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "file"})


def shown(value: str) -> str:
    """Return `value` fit for a one-line message: invisible characters escaped, cut if long."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 3] + "..."


@lru_cache(maxsize=4096)
def hostname(host: str) -> str | None:
    """Return the ASCII form of a host name (IDNA, RFC 1123), or None if it is not one."""
    # Remembered: IDNA takes ~0.2 ms a name, and an exhibition names the same few hosts.
    if not host or host.endswith("."):
        return None
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    if not HOSTNAME.fullmatch(ascii_host):
        return None
    if NUMERIC_LABEL.fullmatch(ascii_host.rsplit(".", 1)[-1]):
        # Browsers parse such a host as an IPv4 address: accept only the plain dotted form.
        try:
            return str(ipaddress.IPv4Address(ascii_host))
        except ValueError:
            return None
    return ascii_host


def _character_problem(value: str) -> str | None:
    """Name the first character a URL may not hold, or return None."""
    # Printable: no control, format or separator character but the space (checked apart).
    if value.isprintable() and " " not in value and not _FORBIDDEN_FOUND.search(value):
        return None
    for char in value:
        if char == " ":
            return "a URL may not hold a space, write it as %20"
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            return f"a URL may not hold the invisible character U+{ord(char):04X}"
        if char in FORBIDDEN:
            return f"a URL may not hold {FORBIDDEN[char]}, write it as %{ord(char):02X}"
    return None


def _expected(schemes: Collection[str]) -> str:
    """Return "expected http, https or mailto" for these schemes, in a stable order."""
    names = sorted(schemes)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"expected {listed}"


def _email_problem(address: str) -> str | None:
    """Return why `address` is not a plain email address, or None."""
    local, at, domain = address.rpartition("@")
    if not at or not LOCAL_PART.fullmatch(local) or hostname(domain) is None:
        return f"'{shown(address)}' is not an email address"
    return None


def url_problem(value: str, schemes: Collection[str]) -> str | None:
    """Return why `value` is not an acceptable absolute URL with one of `schemes`, or None.

    `schemes` holds lowercase names among http, https and mailto.
    """
    return (
        _scheme_problem(value, schemes)
        or _character_problem(value)
        or address_problem(value, schemes)
    )


def _scheme_problem(value: str, schemes: Collection[str]) -> str | None:
    """Return "expected ..." unless `value` starts with one of `schemes`."""
    found = SCHEME.match(value)
    scheme = found.group(0)[:-1].lower() if found else ""
    return None if scheme in schemes else _expected(schemes)


def address_problem(value: str, schemes: Collection[str]) -> str | None:
    """Return why `value` does not name a valid host (or email address), or None.

    Unlike `url_problem` it leaves the characters of the path and query alone: the sanitiser
    uses it on URLs a browser has already normalised, whose quotes HTML escaping makes harmless.
    """
    problem = _scheme_problem(value, schemes)
    if problem:
        return problem
    scheme = value.split(":", 1)[0].lower()
    if scheme == "mailto":
        address = value[len("mailto:") :].split("?", 1)[0]
        return _email_problem(address)
    if not value[len(scheme) + 1 :].startswith("//"):
        return "no host name"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "not a valid URL"
    try:
        port = parts.port
    except ValueError:
        return "invalid port"
    if parts.username is not None or parts.password is not None:
        return "a user name or password is not allowed"
    host = parts.hostname or ""
    if not host:
        return "no host name"
    if port == 0 or (port is None and parts.netloc.endswith(":")):
        return "invalid port"
    if hostname(host) is None:
        return f"'{shown(host)}' is not a valid host name"
    return None


def browser_url(value: str) -> str:
    """Return `value` as a browser reads an attribute URL before resolving it (WHATWG URL).

    Leading and trailing C0 controls and spaces go, tabs and newlines go anywhere, and in
    http(s) and relative URLs a backslash before the query counts as a slash: `/\\host`,
    `\\\\host` and `/<TAB>/host` all name another host, exactly like `//host`.
    """
    url = value.strip(C0_AND_SPACE).translate(TAB_AND_NEWLINE)
    found = SCHEME.match(url)
    if found and found.group(0)[:-1].lower() not in SPECIAL_SCHEMES:
        return url
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut].replace("\\", "/") + url[cut:]


def contact_problem(value: str) -> str | None:
    """Return why `value` is neither an email address nor an http, https or mailto URL."""
    if SCHEME.match(value):
        problem = url_problem(value, ("http", "https", "mailto"))
        if problem and problem.startswith("expected "):
            return "expected an email address, or an http, https or mailto URL"
        return problem
    if "@" not in value:
        return "expected an email address, or an http, https or mailto URL"
    return _email_problem(value)


def origin(url: str) -> str | None:
    """Return "https://host[:port]" of an https URL with a valid host, else None."""
    if url_problem(url, ("https",)):
        return None
    parts = urlsplit(url)
    host = hostname(parts.hostname or "")
    if host is None:
        return None
    return f"https://{host}" if parts.port is None else f"https://{host}:{parts.port}"
