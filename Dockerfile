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
CMD ["sh", "-c", "gunicorn hiring.wsgi --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-4} --access-logfile - --timeout 30"]
