FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=sqlite:///tmp/build.db \
    REDIS_URL=redis://build:6379/0 python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 liaison && mkdir -p /app/media /app/var /app/private-media \
    && chown liaison /app/media /app/var /app/private-media
USER liaison
EXPOSE 8000
CMD ["gunicorn", "liaison.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
