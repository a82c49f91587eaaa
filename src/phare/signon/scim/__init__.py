"""SCIM 2.0 provisioning (RFC 7643/7644): Entra ID or Okta push the directory to Phare.

``/scim/v2/`` answers ``ServiceProviderConfig``, ``ResourceTypes``, ``Schemas``, ``Users`` and
``Groups``. A SCIM user is a directory person (its SCIM id is the person's id), written
through the CSV import's checks (:func:`phare.directory.importer.upsert_people`); a SCIM group
is a :class:`~phare.signon.models.ScimGroup` whose name may give its members' accounts a role
(``PHARE_SSO_ROLE_GROUPS``, the sign-on rule's :func:`~phare.signon.identity.role_for`).

The package: ``errors`` (SCIM's error message), ``filters`` (the filter language, to the ORM
and to values), ``patch`` (PATCH operations on a resource), ``resources`` (what a user and a
group look like, read and written; the discovery documents), ``services`` (every write),
``queries`` (lists and lookups), ``views`` and ``urls``.
"""
