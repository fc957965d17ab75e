# Production image: gunicorn for the web, the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PORT=8000
WORKDIR /app

RUN useradd --create-home --uid 1000 hiring
COPY pyproject.toml README.md ./
COPY hiring ./hiring
COPY roles ./roles
COPY assessments ./assessments
COPY compensation ./compensation
RUN pip install .
COPY . .
# collectstatic only needs settings to import: a throwaway key, DEBUG off.
RUN SECRET_KEY=collectstatic-only-not-used-at-runtime-0123456789abcdefghijkl \
    python manage.py collectstatic --no-input \
    && chown -R hiring:hiring /app/var
USER hiring
EXPOSE 8000
# Bind, workers, request-line limit and the access log's token redaction: hiring/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:hiring.gunicorn_conf", "hiring.wsgi"]
