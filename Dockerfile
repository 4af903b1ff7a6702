# docverify: one image for the CLI, the queue workers and the reviewer web app.
#   docker build -t docverify .
#   docker run --rm -v "$PWD/bundles:/bundles" docverify verify /bundles/app-1
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    OMP_THREAD_LIMIT=1 \
    DOCVERIFY_DATA_DIR=/data

RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng libglib2.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY models ./models
COPY pipeline ./pipeline
COPY workers ./workers
COPY samples ./samples
COPY docverify ./docverify
RUN pip install .

RUN useradd --system --create-home --uid 10001 docverify \
 && mkdir -p /data && chown docverify /data
USER docverify
VOLUME ["/data"]
EXPOSE 8000

ENTRYPOINT ["docverify"]
CMD ["--help"]
