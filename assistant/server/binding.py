"""Which interfaces the server may listen on."""

from __future__ import annotations

import ipaddress
import sys

from assistant.settings import Settings


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(settings: Settings) -> str | None:
    """Why the configured host may not be bound (None when it may): without authentication only
    loopback, unless server.allow_remote is set."""
    server = settings.server
    if server.users or server.api_tokens or is_loopback(server.host):
        return None
    if server.allow_remote:
        print(
            f"warning: serving on {server.host} without authentication (server.allow_remote is set); "
            "anyone who can reach this port can use the assistant",
            file=sys.stderr,
        )
        return None
    return (
        f"refusing to listen on {server.host} without authentication: add users "
        "(ip-assistant hash-password) or api_tokens, or set IP_ASSISTANT_SERVER_ALLOW_REMOTE=true"
    )
