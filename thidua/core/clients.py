"""Who is asking: the visitor's address, the one answer every throttle and lock-out keys on.

A direct visitor is ``REMOTE_ADDR``. Behind reverse proxies the deployment says so with two
settings (from the environment, see settings.py): ``THIDUA_CLIENT_IP_HEADER``, the header the
proxies write (``HTTP_X_FORWARDED_FOR``), and ``THIDUA_TRUSTED_PROXY_COUNT``, how many proxies of
ours stand in front (default 1). Each proxy appends the address it received the request from, so
the entry that many places from the right is the one our outermost proxy saw: anything a visitor
wrote into the header themselves stands further left and is never read. Without the header
setting the header is ignored whatever it says, so a direct visitor cannot choose their own key.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The visitor's address (see the module's docstring); "" when there is none."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header = getattr(settings, "THIDUA_CLIENT_IP_HEADER", "")
    if not header:
        return remote
    count = max(int(getattr(settings, "THIDUA_TRUSTED_PROXY_COUNT", 1) or 0), 0)
    if not count:
        return remote
    hops = [hop.strip() for hop in request.META.get(header, "").split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer entries than proxies: the request did not come through them all.
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def client_network(address: str) -> str:
    """The address a budget counts by: an IPv6 visitor by its /64 (the block one subscriber
    gets, so rotating addresses inside it does not reset anything), written as that network's
    first address; an IPv4 address as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # "::ffff:192.0.2.1" is the IPv4 visitor 192.0.2.1
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def client_key(request) -> str:
    """:func:`client_network` of :func:`client_address`: what django-axes and the throttles key on."""
    return client_network(client_address(request))
