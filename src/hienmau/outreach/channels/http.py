"""JSON over HTTP for the gateway transports: the standard library, a timeout, and the
answer sorted into retry-later (network, 5xx, 429) and never-retry (other 4xx)."""

import json
import urllib.error
import urllib.request

from hienmau.outreach.channels import TransportError

TIMEOUT_SECONDS = 15


def post_json(url: str, payload: dict, headers: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read()
    except urllib.error.HTTPError as error:
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        detail = error.read()[:200].decode(errors="replace")
        raise TransportError(f"HTTP {error.code}: {detail}", permanent=permanent) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise TransportError(f"{type(error).__name__}: {error}") from None
    try:
        return json.loads(body or b"{}")
    except ValueError:
        raise TransportError(f"Not JSON: {body[:200]!r}") from None
