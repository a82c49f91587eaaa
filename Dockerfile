# Phare in a container: `docker build -t phare .` from the repository's root.
# What runs it (database, cache, worker, reverse proxy): docs/DEPLOY.md, "Container".
FROM python:3.11-slim-bookworm

# Pango for the PDFs (WeasyPrint), xmlsec1 for SAML sign-on, the PostgreSQL client for
# `phare backup` / `phare restore`.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core xmlsec1 postgresql-client \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PHARE_HOME=/var/lib/phare \
    PHARE_BIND=0.0.0.0:8000

WORKDIR /opt/phare
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/phare --create-home phare \
 && install -d -o phare -g phare /backups

USER phare
# The charts' script bundle and the static files, made once here (no database needed);
# `phare serve` checks them again at each start.
RUN python -c "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'phare.settings'); django.setup(); from phare.lib.assets import collect_static; collect_static()"

VOLUME /var/lib/phare
EXPOSE 8000
# Liveness: /healthz answers 200 while the database does, asked where PHARE_BIND listens (its
# port; 127.0.0.1 when it listens on every address). The Host header is the first of
# PHARE_ALLOWED_HOSTS, which Django checks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('PHARE_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.*') or 'localhost'; a, _, p = os.environ.get('PHARE_BIND', '0.0.0.0:8000').rpartition(':'); a = a.strip('[]'); a = '127.0.0.1' if a in ('', '0.0.0.0', '::') else a; a = f'[{a}]' if ':' in a else a; u.urlopen(u.Request(f'http://{a}:{p}/healthz', headers={'Host': h}), timeout=4)"]
CMD ["phare", "serve"]
