"""The Retarus host names and where a running simulator serves each of them."""

from __future__ import annotations

from urllib.parse import urlsplit

EU_HOST = "sms4a.eu.retarus.com"
DE1_HOST = "sms4a.de1.retarus.com"
DE2_HOST = "sms4a.de2.retarus.com"
# host name -> the site the simulator plays for it
RETARUS_HOSTS = {EU_HOST: "eu", DE1_HOST: "de1", DE2_HOST: "de2"}


def simulator_host_map(base_url: str) -> dict[str, str]:
    """For each Retarus host, the URL prefix that replaces `https://<host>` to reach the
    simulator at `base_url` (e.g. http://127.0.0.1:8080): the eu facade at the root, the data
    centers under /de1 and /de2. A trailing /rest/v1 on `base_url` is ignored, since the API's
    base path follows the prefix anyway.
    """
    base = base_url.strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"simulator URL {base_url!r} must be an http:// or https:// URL such as "
            "http://127.0.0.1:8080"
        )
    if base.endswith("/rest/v1"):
        base = base[: -len("/rest/v1")]
    return {EU_HOST: base, DE1_HOST: f"{base}/de1", DE2_HOST: f"{base}/de2"}
