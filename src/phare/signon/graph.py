"""Microsoft Graph, asked for the groups of someone Entra ID could not fit in the ID token.

Past 200 groups, Entra ID leaves the ``groups`` claim out of the ID token and says so with
``_claim_names: {"groups": "src1"}`` and ``_claim_sources: {"src1": {"endpoint": …}}`` (the
"groups overage"). The endpoint the token names is not called (an old Azure AD Graph address,
and the token's word is not needed to know where Microsoft Graph is): Phare asks
``POST <PHARE_OIDC_GRAPH_URL>/me/getMemberObjects`` with ``{"securityEnabledOnly": false}``
and the access token of the sign-in (delegated ``User.Read`` is enough for ``/me``), following
``@odata.nextLink`` while Graph pages the answer — only to addresses under the same Graph URL,
since each request carries the person's access token. Any failure is a :class:`GraphFailed`:
the caller then leaves the role as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

import requests
from django.conf import settings

from phare.lib import jsontext

#: Seconds to wait for each of Graph's answers.
TIMEOUT = 10
#: Pages followed at most (Graph returns thousands of ids per page).
MAX_PAGES = 50


class GraphFailed(Exception):
    """Microsoft Graph did not tell the person's groups; the message says why."""


def overage(claims: Mapping[str, Any], claim: str) -> bool:
    """Whether the ID token says the ``claim`` (the groups) is left out for being too large."""
    names = claims.get("_claim_names")
    return claim not in claims and isinstance(names, Mapping) and claim in names


def member_groups(access_token: str) -> tuple[str, ...]:
    """The ids of every group (and directory role) the access token's person is a member of,
    transitively; or GraphFailed."""
    if not access_token:
        raise GraphFailed("the token endpoint sent no access token to ask Graph with")
    base = settings.PHARE_OIDC_GRAPH_URL.rstrip("/")
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    url: str | None = f"{base}/me/getMemberObjects"
    found: list[str] = []
    for page in range(MAX_PAGES):
        assert url is not None
        try:
            if page == 0:
                answer = requests.post(url, json={"securityEnabledOnly": False},
                                       headers=headers, timeout=TIMEOUT, allow_redirects=False)
            else:
                answer = requests.get(url, headers=headers, timeout=TIMEOUT,
                                      allow_redirects=False)
        except requests.RequestException as exc:
            raise GraphFailed(f"{url}: {exc}") from exc
        body = _body(url, answer)
        values = body.get("value")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise GraphFailed(f"{url}: the answer has no list of ids under 'value'")
        found.extend(v for v in values if v not in found)
        url = body.get("@odata.nextLink")
        if not url:
            return tuple(found)
        if not isinstance(url, str) or not url.startswith(base + "/"):
            raise GraphFailed(f"Graph's next page {url!r} is not under {base}: not followed "
                              "(the request would carry the person's access token)")
    raise GraphFailed(f"more than {MAX_PAGES} pages of groups: not read to the end")


def _body(url: str, answer: requests.Response) -> dict[str, Any]:
    if answer.status_code != 200:
        error = ""
        with contextlib.suppress(ValueError, AttributeError):  # the code, when Graph gave one
            error = str(jsontext.loads(answer.text).get("error", {}).get("code", ""))
        raise GraphFailed(f"{url}: HTTP {answer.status_code} {error}".rstrip())
    try:
        body = jsontext.loads(answer.text)
    except ValueError as exc:
        raise GraphFailed(f"{url}: the answer is not JSON ({exc})") from exc
    if not isinstance(body, dict):
        raise GraphFailed(f"{url}: the answer is not a JSON object")
    return body
