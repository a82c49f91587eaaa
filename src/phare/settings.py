"""Phare's one settings module: every value comes from a ``PHARE_*`` environment variable.

Defaults give a working single-user install (SQLite in ``./.phare``, emails on the console,
French, Europe/Paris). A bad value raises :class:`phare.env.ConfigError` naming the variable.

Importing this module only reads: it creates no folder and no file. ``phare migrate`` makes the
data folder and, when ``PHARE_SECRET_KEY`` is not set, the secret key file
(:mod:`phare.core.management.home`); ``serve``, ``worker`` and ``tick`` refuse to start without
a secret key. Every ``PHARE_*`` variable is read here, through :mod:`phare.env`.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

from whitenoise.compress import Compressor

from phare import env

E = os.environ
SRC_DIR = Path(__file__).resolve().parent

PHARE_HOME = env.home_dir(E)
# Empty until `phare migrate` creates PHARE_HOME/secret_key (or PHARE_SECRET_KEY is set): Django
# then refuses to sign anything, and the commands that serve say how to make one.
SECRET_KEY = env.secret_key(E, PHARE_HOME)
DEBUG = env.env_bool(E, "PHARE_DEBUG", False)
ALLOWED_HOSTS = env.env_list(E, "PHARE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.env_list(E, "PHARE_CSRF_TRUSTED_ORIGINS", [])
#: Phare is reached over HTTPS (usually through a TLS-terminating proxy): redirect plain HTTP,
#: send HSTS, keep cookies off clear connections.
PHARE_HTTPS = env.env_bool(E, "PHARE_HTTPS", False)
# Behind a TLS-terminating proxy, set PHARE_SECURE_COOKIES=1 so cookies never travel in clear.
SECURE_COOKIES = env.env_bool(E, "PHARE_SECURE_COOKIES", PHARE_HTTPS)
#: The reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (phare.lib.clients).
PHARE_TRUSTED_PROXIES = env.trusted_proxies(E)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "csp",
    # Listed so that the API's docs page uses its own static files, not a CDN and inline script.
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Order matters for the demo: each app's demo step builds on those listed before it.
    "phare.core",
    "phare.directory",
    "phare.contact",
    "phare.signon",
    "phare.accounts",
    "phare.audit",
    "phare.jobs",
    "phare.catalog",
    "phare.listening",
    "phare.tickets",
    "phare.needs",
    "phare.usage",
    "phare.insights",
    "phare.comms",
    "phare.positioning",
    "phare.reports",
    "phare.privacy",
]

MIDDLEWARE = [
    "phare.lib.clients.ForwardedProtoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, with the headers built once per process (lib/csp.py).
    "phare.lib.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Keeps the request at hand for the audit trail's entries (address, browser).
    "phare.audit.middleware.RequestContextMiddleware",
    "phare.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a lockout during sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "phare.urls"
WSGI_APPLICATION = "phare.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "phare.core.context_processors.shell",
                # The login page's "Sign in with …" buttons (phare.signon.providers).
                "phare.signon.context_processors.sign_on",
            ],
        },
    },
]

DATABASES = {"default": env.database_config(E, PHARE_HOME)}
#: Shared by every worker process (rate limits count in it): files in PHARE_HOME/cache or Redis.
CACHES = {"default": env.cache_config(E, PHARE_HOME),
          "insights": env.insights_cache_config(E, PHARE_HOME)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): after PHARE_LOGIN_FAILURE_LIMIT failures within
# PHARE_LOGIN_LOCKOUT_MINUTES, signing in to that account (from anywhere) and from that address
# (to any account) is refused — even with the right password — until that many minutes have
# passed without a new failure, or until an administrator runs `phare axes_reset_username`.
# Failures are kept in axes' AccessAttempt and AccessFailureLog tables (the audit record).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Phare's own passwords: Django's ModelBackend, for administrators only when
    # PHARE_LOCAL_PASSWORDS=admins.
    "phare.signon.backends.LocalPasswordBackend",
    # The directory server's passwords (LDAP / Active Directory), when PHARE_LDAP_URL is set.
    "phare.signon.ldap.LDAPBackend",
    # Keeps signed in those the OpenID Connect provider signed in (checks no password).
    "phare.signon.backends.OIDCBackend",
    # Keeps signed in those the SAML identity provider signed in (checks no password).
    "phare.signon.backends.SAMLBackend",
]
AXES_FAILURE_LIMIT = env.env_int(E, "PHARE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.env_int(E, "PHARE_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
# The same address as the rest of Phare: X-Forwarded-For believed only from trusted proxies.
AXES_CLIENT_IP_CALLABLE = "phare.lib.clients.client_ip"
AXES_LOCKOUT_CALLABLE = "phare.accounts.views.login_locked"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# A success does not wipe the failures: otherwise signing in to one's own account between
# guesses would reset the count of the address guessing someone else's password.
AXES_RESET_ON_SUCCESS = False
#: Before the lock, each failure makes the next attempt for that account or from that address
#: wait this many seconds, doubled with each further failure (0: no wait; phare.accounts.throttle).
PHARE_LOGIN_DELAY_SECONDS = env.env_int(E, "PHARE_LOGIN_DELAY_SECONDS", 1, minimum=0)

#: Personal API tokens stop working this many days after they were created.
PHARE_TOKEN_DAYS = env.env_int(E, "PHARE_TOKEN_DAYS", 90, minimum=1)

# Sessions and CSRF: HttpOnly session cookie, SameSite=Lax, sessions end with a working day.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 10
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PHARE_TRUSTED_PROXIES:
    # Believed only from those proxies: ForwardedProtoMiddleware drops it from anyone else.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PHARE_HTTPS:
    SECURE_SSL_REDIRECT = True
    # The load balancer's health probe may come in plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# HSTS preload is a request to browser vendors to hard-code the domain: a decision for whoever
# owns the domain (often shared with other intranet sites), not for one application.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# "A STATICFILES_DIRS folder does not exist": the only one is PHARE_ASSETS, made by `phare migrate`
# and filled before collectstatic (lib/assets.py); until then there is nothing in it to find.
SILENCED_SYSTEM_CHECKS += ["staticfiles.W004"]
# No inline script and no eval anywhere: scripts are static files (htmx is told not to eval, the
# charts use Vega's expression interpreter). Styles allow inline: Vega's SVG renderer and
# vega-embed write style attributes and a <style> element, and a few templates size bars with
# style="width: …" — style injection cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Internationalisation: French by default, English available; users choose in the header.
LANGUAGE_CODE = env.env_choice(E, "PHARE_LANGUAGE", "fr", ["fr", "en"])
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env.env_time_zone(E, "PHARE_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
# "4 925 personnes" in French, "4,925 people" in English; days before months in both.
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["phare.formats"]

STATIC_URL = "static/"
STATIC_ROOT = PHARE_HOME / "static"
#: Static files generated on this machine, never committed (the Vega bundle; see lib/assets.py).
PHARE_ASSETS = PHARE_HOME / "assets"
STATICFILES_DIRS = [PHARE_ASSETS]
MEDIA_ROOT = PHARE_HOME / "files"
#: The analytical store: answers as Parquet files for DuckDB (rebuilt from the database at will).
PHARE_ANALYTICS_DIR = PHARE_HOME / "analytics"
#: Pages ask the worker to check the store against the database when it was last checked more
#: than this many seconds ago (and the worker's tick checks every store anyway).
PHARE_ANALYTICS_MAX_AGE = env.env_int(E, "PHARE_ANALYTICS_MAX_AGE", 5, minimum=0)
#: How long a dashboard's computed figures stay in the cache (keys change with the data, so
#: this only bounds the space old entries take); 0 computes every view afresh.
PHARE_INSIGHTS_CACHE_SECONDS = env.env_int(E, "PHARE_INSIGHTS_CACHE_SECONDS", 7 * 24 * 3600,
                                           minimum=0)
#: Usage and adoption (the usage app): raw events as Parquet partitioned by source and month
#: under this folder, or in an S3-compatible object store (s3://bucket/prefix; s3a:// alike).
PHARE_USAGE_DIR = env.usage_dir(E, str(PHARE_ANALYTICS_DIR / "usage"))
#: The object store's address when it is not AWS (MinIO, Ceph, Scality, OVH…) and its region;
#: its credentials come from the AWS variables or files, never from Phare's settings.
PHARE_USAGE_S3_ENDPOINT = env.s3_endpoint(E)
PHARE_USAGE_S3_REGION = env.env_str(E, "PHARE_USAGE_S3_REGION", "")
#: Raw usage events older than this many days are folded into monthly aggregates and removed.
PHARE_USAGE_RETENTION_DAYS = env.env_int(E, "PHARE_USAGE_RETENTION_DAYS", 395, minimum=31)
#: The audit trail keeps each entry this many days; the periodic tick purges older ones.
PHARE_AUDIT_RETENTION_DAYS = env.env_int(E, "PHARE_AUDIT_RETENTION_DAYS", 400, minimum=1)
#: Personal data (phare.privacy; docs/DEPLOY.md): the periodic tick deletes, once a day, the
#: survey responses answered more than this many days ago (0 keeps them).
PHARE_RETENTION_RESPONSES_DAYS = env.env_int(E, "PHARE_RETENTION_RESPONSES_DAYS", 0)
#: The ticket records resolved more than this many days ago are deleted (0 keeps them).
PHARE_RETENTION_TICKETS_DAYS = env.env_int(E, "PHARE_RETENTION_TICKETS_DAYS", 0)
#: The records of emails sent (outcomes, sent need news) older than this many days are deleted
#: (0 keeps them). Raw usage events follow PHARE_USAGE_RETENTION_DAYS.
PHARE_RETENTION_EMAILS_DAYS = env.env_int(E, "PHARE_RETENTION_EMAILS_DAYS", 0)
#: Sign-on (OIDC, SAML, LDAP): which of the identity provider's groups give which role, as
#: "admin=Phare Admins;marketing=Comms,Marketing"; empty: new accounts are employees and
#: existing ones keep their role.
PHARE_SSO_ROLE_GROUPS = env.env_role_groups(E, "PHARE_SSO_ROLE_GROUPS")
#: Password sign-in with Phare's own passwords: "everyone", or "admins" (break-glass: only
#: administrators; everyone else signs in through the identity provider; phare.signon.policy).
PHARE_LOCAL_PASSWORDS = env.env_choice(E, "PHARE_LOCAL_PASSWORDS", "everyone",
                                       ["everyone", "admins"])
#: OpenID Connect sign-on (phare.signon.oidc), off while the issuer is empty: the provider's
#: issuer URL (its /.well-known/openid-configuration is read), Phare's client id and secret
#: (no secret: a public client, PKCE only), the scopes asked for, the claims that carry the
#: email, the employee id (none: matched by email) and the groups, and the button's name.
PHARE_OIDC_ISSUER = env.env_str(E, "PHARE_OIDC_ISSUER", "").rstrip("/")
PHARE_OIDC_CLIENT_ID = env.env_str(E, "PHARE_OIDC_CLIENT_ID", "")
PHARE_OIDC_CLIENT_SECRET = env.env_str(E, "PHARE_OIDC_CLIENT_SECRET", "")
PHARE_OIDC_SCOPES = env.env_str(E, "PHARE_OIDC_SCOPES", "openid email profile").replace(",", " ")
PHARE_OIDC_EMAIL_CLAIM = env.env_str(E, "PHARE_OIDC_EMAIL_CLAIM", "email")
PHARE_OIDC_EMPLOYEE_ID_CLAIM = env.env_str(E, "PHARE_OIDC_EMPLOYEE_ID_CLAIM", "")
PHARE_OIDC_GROUPS_CLAIM = env.env_str(E, "PHARE_OIDC_GROUPS_CLAIM", "groups")
PHARE_OIDC_LABEL = env.env_str(E, "PHARE_OIDC_LABEL", "")
#: Where the provider sends the browser back after signing the person out there (Phare's
#: logout passes it as post_logout_redirect_uri; register it at the provider); empty: the
#: signed-out page under PHARE_BASE_URL (/signon/signed-out/).
PHARE_OIDC_POST_LOGOUT_REDIRECT_URI = env.web_url(E, "PHARE_OIDC_POST_LOGOUT_REDIRECT_URI", "")
#: Microsoft Graph, asked for the groups of someone in too many for Entra ID's ID token (the
#: groups overage; phare.signon.graph).
PHARE_OIDC_GRAPH_URL = env.web_url(E, "PHARE_OIDC_GRAPH_URL", "https://graph.microsoft.com/v1.0",
                                   https_only=True).rstrip("/")
if PHARE_OIDC_ISSUER and not PHARE_OIDC_CLIENT_ID:
    raise env.ConfigError("PHARE_OIDC_CLIENT_ID: expected the client id Phare is registered "
                          "under at the provider (PHARE_OIDC_ISSUER is set)")
if PHARE_OIDC_ISSUER and "openid" not in PHARE_OIDC_SCOPES.split():
    raise env.ConfigError("PHARE_OIDC_SCOPES: expected a list of scopes that includes openid, "
                          f"got {PHARE_OIDC_SCOPES!r}")
#: SAML 2.0 sign-on (phare.signon.saml; ADFS, Entra ID), off while the metadata is empty: the
#: identity provider's metadata (a file, or an https URL read again every hour), Phare's entity
#: id (default: the address of its metadata, /signon/saml/metadata/), a key and certificate
#: (PEM files, both or neither) to sign requests and decrypt assertions, the attributes that
#: carry the email, the employee id and the groups (comma-separated: the first present wins;
#: groups from all), and the button's name.
PHARE_SAML_IDP_METADATA = env.env_str(E, "PHARE_SAML_IDP_METADATA", "")
PHARE_SAML_SP_ENTITY_ID = env.env_str(E, "PHARE_SAML_SP_ENTITY_ID", "")
PHARE_SAML_SP_KEY_FILE = env.env_str(E, "PHARE_SAML_SP_KEY_FILE", "")
PHARE_SAML_SP_CERT_FILE = env.env_str(E, "PHARE_SAML_SP_CERT_FILE", "")
PHARE_SAML_EMAIL_ATTRIBUTE = env.env_list(E, "PHARE_SAML_EMAIL_ATTRIBUTE", [
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"])
PHARE_SAML_EMPLOYEE_ID_ATTRIBUTE = env.env_list(E, "PHARE_SAML_EMPLOYEE_ID_ATTRIBUTE", [
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeeid"])
PHARE_SAML_GROUPS_ATTRIBUTE = env.env_list(E, "PHARE_SAML_GROUPS_ATTRIBUTE", [
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"])
PHARE_SAML_LABEL = env.env_str(E, "PHARE_SAML_LABEL", "")
#: IdP-initiated sign-on (an answer to no request of Phare's): refused unless true; then still
#: signed, for Phare, at its address, in its validity, each assertion used once, and its
#: RelayState followed only to a page of this site.
PHARE_SAML_ALLOW_UNSOLICITED = env.env_bool(E, "PHARE_SAML_ALLOW_UNSOLICITED", False)
if bool(PHARE_SAML_SP_KEY_FILE) != bool(PHARE_SAML_SP_CERT_FILE):
    raise env.ConfigError("PHARE_SAML_SP_KEY_FILE and PHARE_SAML_SP_CERT_FILE: expected both "
                          "(a private key and its certificate, PEM files) or neither")
#: LDAP / Active Directory (phare.signon.ldap), off while the URL is empty: the server
#: (ldap://host[:port] or ldaps://host[:port]), StartTLS on an ldap:// connection, the CA
#: certificates (PEM file; empty: the system's) that sign its certificate, and the seconds to
#: wait for it to connect and to answer.
PHARE_LDAP_URL = env.ldap_url(E, "PHARE_LDAP_URL")
PHARE_LDAP_START_TLS = env.env_bool(E, "PHARE_LDAP_START_TLS", False)
PHARE_LDAP_CA_FILE = env.env_str(E, "PHARE_LDAP_CA_FILE", "")
PHARE_LDAP_TIMEOUT = env.env_int(E, "PHARE_LDAP_TIMEOUT", 5, minimum=1)
#: The service account that searches the directory (empty: anonymous searches) and its
#: password; people are searched under the base DN with the user filter, where {login} stands
#: for what was typed (escaped).
PHARE_LDAP_BIND_DN = env.env_str(E, "PHARE_LDAP_BIND_DN", "")
PHARE_LDAP_BIND_PASSWORD = env.env_str(E, "PHARE_LDAP_BIND_PASSWORD", "")
PHARE_LDAP_BASE_DN = env.env_str(E, "PHARE_LDAP_BASE_DN", "")
PHARE_LDAP_USER_FILTER = env.env_str(E, "PHARE_LDAP_USER_FILTER",
                                     "(|(uid={login})(mail={login})(sAMAccountName={login}))")
#: The attributes that carry a person's email, employee id, first and last names, language
#: (fr/en; empty: not read), manager (a DN; empty: not read) and groups (DNs; their cn is what
#: PHARE_SSO_ROLE_GROUPS names).
PHARE_LDAP_EMAIL_ATTRIBUTE = env.env_str(E, "PHARE_LDAP_EMAIL_ATTRIBUTE", "mail")
PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE = env.env_str(E, "PHARE_LDAP_EMPLOYEE_ID_ATTRIBUTE",
                                               "employeeNumber")
PHARE_LDAP_FIRST_NAME_ATTRIBUTE = env.env_str(E, "PHARE_LDAP_FIRST_NAME_ATTRIBUTE", "givenName")
PHARE_LDAP_LAST_NAME_ATTRIBUTE = env.env_str(E, "PHARE_LDAP_LAST_NAME_ATTRIBUTE", "sn")
PHARE_LDAP_LANGUAGE_ATTRIBUTE = env.env_str(E, "PHARE_LDAP_LANGUAGE_ATTRIBUTE",
                                            "preferredLanguage")
PHARE_LDAP_MANAGER_ATTRIBUTE = env.env_str(E, "PHARE_LDAP_MANAGER_ATTRIBUTE", "manager")
PHARE_LDAP_GROUP_ATTRIBUTE = env.env_str(E, "PHARE_LDAP_GROUP_ATTRIBUTE", "memberOf")
#: Groups searched instead (directories without memberOf): under this DN, with this filter
#: ({dn}: the person's DN, escaped); empty: the group attribute above.
PHARE_LDAP_GROUP_BASE_DN = env.env_str(E, "PHARE_LDAP_GROUP_BASE_DN", "")
PHARE_LDAP_GROUP_FILTER = env.env_str(E, "PHARE_LDAP_GROUP_FILTER",
                                      "(|(member={dn})(uniqueMember={dn}))")
#: The directory sync (phare.signon.ldap_sync, `phare ldap-sync`): every this many hours from
#: the worker's tick (0: only by command); the people it reads (empty: every person with an
#: employee id); each one's business unit from an attribute ("attribute:department"), from the
#: nearest OU of the entry's DN ("ou"), or left as it is ("none").
PHARE_LDAP_SYNC_HOURS = env.env_int(E, "PHARE_LDAP_SYNC_HOURS", 0, minimum=0)
PHARE_LDAP_SYNC_FILTER = env.env_str(E, "PHARE_LDAP_SYNC_FILTER", "")
PHARE_LDAP_UNIT_FROM = env.ldap_unit_from(E, "PHARE_LDAP_UNIT_FROM")
if PHARE_LDAP_URL and not PHARE_LDAP_BASE_DN:
    raise env.ConfigError("PHARE_LDAP_BASE_DN: expected the DN under which people are searched, "
                          "such as ou=people,dc=example,dc=com (PHARE_LDAP_URL is set)")
if "{login}" not in PHARE_LDAP_USER_FILTER:
    raise env.ConfigError("PHARE_LDAP_USER_FILTER: expected a filter with {login} where the "
                          f"login goes, got {PHARE_LDAP_USER_FILTER!r}")
if PHARE_LDAP_GROUP_BASE_DN and "{dn}" not in PHARE_LDAP_GROUP_FILTER:
    raise env.ConfigError("PHARE_LDAP_GROUP_FILTER: expected a filter with {dn} where the "
                          f"person's DN goes, got {PHARE_LDAP_GROUP_FILTER!r}")
if PHARE_SAML_IDP_METADATA.startswith("http://"):
    raise env.ConfigError("PHARE_SAML_IDP_METADATA: expected a file or an https:// URL (the "
                          "metadata holds the certificate Phare trusts), got "
                          f"{PHARE_SAML_IDP_METADATA!r}")
#: Usage figures hide groups of fewer people than this (as surveys do; never under 5).
PHARE_USAGE_MIN_GROUP = env.env_int(E, "PHARE_USAGE_MIN_GROUP", 5, minimum=5)
#: Where usage metrics run: DuckDB in this process, or Apache Spark (the `spark` extra).
PHARE_ANALYTICS_ENGINE = env.env_choice(E, "PHARE_ANALYTICS_ENGINE", "duckdb", ["duckdb", "spark"])
PHARE_SPARK_MASTER = env.env_str(E, "PHARE_SPARK_MASTER", "local[*]")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "phare.lib.storage.StaticStorage"
        )
    },
}
# Serve straight from the apps' static folders when collectstatic has not run (tests, dev).
WHITENOISE_USE_FINDERS = True
# collectstatic compresses each file once, under its hashed name (pages only ever link those;
# the plain names are still served, uncompressed, from the apps' folders), and leaves the
# source maps of the API's documentation pages alone: compressing two copies of everything,
# 10 MB of maps included, cost a server's first start 29 s of CPU.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
WHITENOISE_AUTOREFRESH = DEBUG

globals().update(env.email_config(E))
DEFAULT_FROM_EMAIL = env.env_str(E, "PHARE_FROM_EMAIL", "Phare <phare@localhost>")
#: Attempts per email when the mail server fails for a while (lib/mail.py), and the wait
#: before the second one in seconds, doubled before each next one.
PHARE_MAIL_RETRIES = env.env_int(E, "PHARE_MAIL_RETRIES", 3, minimum=1)
PHARE_MAIL_RETRY_SECONDS = env.env_int(E, "PHARE_MAIL_RETRY_SECONDS", 2, minimum=0)
#: Contact pressure: at most this many survey invitations per person over this many days.
PHARE_SURVEY_CONTACT_CAP = env.env_int(E, "PHARE_SURVEY_CONTACT_CAP", 4, minimum=1)
PHARE_SURVEY_CONTACT_DAYS = env.env_int(E, "PHARE_SURVEY_CONTACT_DAYS", 90, minimum=1)
#: The one contact-pressure budget (contact/policy.py): at most PHARE_CONTACT_CAP solicitations
#: (emails of surveys, campaigns, events, notices) per person over any PHARE_CONTACT_DAYS days.
#: Surveys may use the whole budget; events and newsletters leave PHARE_CONTACT_RESERVE of it
#: free for surveys and notices. Mandatory notices are counted but never refused.
PHARE_CONTACT_CAP = env.env_int(E, "PHARE_CONTACT_CAP", 3, minimum=1)
PHARE_CONTACT_DAYS = env.env_int(E, "PHARE_CONTACT_DAYS", 7, minimum=1)
PHARE_CONTACT_RESERVE = env.env_int(E, "PHARE_CONTACT_RESERVE", 1, minimum=0)
#: Campaign clicks counted per person (unique clicks, difference-in-differences of reach) or,
#: when false, only as totals per link.
PHARE_COMMS_INDIVIDUAL_TRACKING = env.env_bool(E, "PHARE_COMMS_INDIVIDUAL_TRACKING", True)
#: Open pixels in campaign emails: off by default (mail privacy protection makes them
#: meaningless); when on, opens are shown and labelled unreliable.
PHARE_COMMS_OPEN_PIXEL = env.env_bool(E, "PHARE_COMMS_OPEN_PIXEL", False)
#: After this many hard refusals (5xx) of an address, campaigns stop writing to it.
PHARE_COMMS_BOUNCE_LIMIT = env.env_int(E, "PHARE_COMMS_BOUNCE_LIMIT", 2, minimum=1)
#: Seconds to wait for a Teams or Slack webhook to answer.
PHARE_COMMS_WEBHOOK_TIMEOUT = env.env_int(E, "PHARE_COMMS_WEBHOOK_TIMEOUT", 10, minimum=1)
#: Open survey links: at most N submissions per client address every S seconds ("N/S").
PHARE_OPEN_SURVEY_RATE = env.env_str(E, "PHARE_OPEN_SURVEY_RATE", "20/600")
if not re.fullmatch(r"[1-9][0-9]*/[1-9][0-9]*", PHARE_OPEN_SURVEY_RATE):
    raise env.ConfigError("PHARE_OPEN_SURVEY_RATE: expected submissions/seconds such as "
                          f"20/600, got {PHARE_OPEN_SURVEY_RATE!r}")

# Background jobs: the database backend needs no extra server (SQLite or PostgreSQL);
# "immediate" runs each job inline, for tests and tiny installs without a worker.
TASK_BACKEND = env.env_choice(E, "PHARE_TASK_BACKEND", "database", ["database", "immediate"])
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASK_BACKEND == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
#: How often `phare worker` runs the periodic tick (wave closing, reminders, ticket surveys).
PHARE_TICK_SECONDS = env.env_int(E, "PHARE_TICK_SECONDS", 60, minimum=1)
#: Readiness (/readyz) fails when no `phare worker` has reported for this many seconds; a
#: worker reports (into the shared cache) every third of it.
PHARE_WORKER_STALE_SECONDS = env.env_int(E, "PHARE_WORKER_STALE_SECONDS", 60, minimum=1)

#: Defaults of `phare serve`: the address:port gunicorn listens on and its worker processes.
PHARE_BIND = env.env_str(E, "PHARE_BIND", "127.0.0.1:8000")
#: Where people reach Phare: the start of every absolute link, in an email or shown on a page
#: (the survey's open link, feeds), without a trailing slash. When it is not given, a page
#: shows the address its request came to (PHARE_BASE_URL_GIVEN false), and emails the one
#: `phare serve` listens on (its --bind, else PHARE_BIND: the serve command sets it).
PHARE_BASE_URL = env.base_url(E, PHARE_BIND)
PHARE_BASE_URL_GIVEN = env.env_str(E, "PHARE_BASE_URL", "") != ""
#: Worker processes of `phare serve`: by default one per processor this process may use (a
#: container's CPU quota counts), at least 2, at most 12.
PHARE_WEB_WORKERS = env.web_workers(E)
#: Threads per web worker process (more than 1: gunicorn's gthread worker; see core.server).
PHARE_WEB_THREADS = env.env_int(E, "PHARE_WEB_THREADS", 1, minimum=1)
#: The password `phare createadmin --noinput` gives the new administrator ("" when not set).
PHARE_ADMIN_PASSWORD = env.env_str(E, "PHARE_ADMIN_PASSWORD", "")

# Largest request body outside files (JSON, form fields): the API answers 413 beyond it.
# Imported files (multipart) are not counted: PHARE_MAX_IMPORT_BYTES limits them.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.env_int(E, "PHARE_MAX_REQUEST_BYTES", 10 * 1024 * 1024,
                                          minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PHARE_MAX_IMPORT_BYTES = env.env_int(E, "PHARE_MAX_IMPORT_BYTES", 100 * 1024 * 1024, minimum=1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.env_choice(
        E, "PHARE_LOG_LEVEL", "info", ["debug", "info", "warning", "error"]).upper()},
    # pysaml2 logs each SAML sign-in's NameID (often an email) at info level: warnings only.
    "loggers": {"saml2": {"level": "WARNING"}},
}
