"""Sign-on test helpers shared by the OIDC and SAML tests."""

from __future__ import annotations

import html
import re


def sign_out(client) -> str:
    """Sign out of Phare; the provider's logout address its "leaving" page goes on to (the
    page says so once: a second visit lands on the signed-out page)."""
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"].startswith("/signon/leaving/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    found = re.search(r'id="signon-leaving" href="([^"]+)"', page.content.decode())
    assert found is not None
    destination = html.unescape(found.group(1))
    assert f'content="0;url={found.group(1)}"' in page.content.decode()
    assert client.get(response["Location"])["Location"] == "/signon/signed-out/"
    return destination
