# The official Airflow 3 image plus newsflow's pinned dependencies and the spaCy model.
FROM apache/airflow:3.3.2-python3.11

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && apt-get clean && rm -rf /var/lib/apt/lists/*
USER airflow

COPY --chown=airflow:root requirements.lock /opt/newsflow/requirements.lock
RUN pip install --no-cache-dir -r /opt/newsflow/requirements.lock

# The package itself is mounted at /opt/airflow/include (see docker-compose.yml); installing it
# here as well keeps the `newsflow` CLI available in every container.
COPY --chown=airflow:root pyproject.toml README.md /opt/newsflow/
COPY --chown=airflow:root include/newsflow /opt/newsflow/include/newsflow
RUN pip install --no-cache-dir --no-deps /opt/newsflow

ENV NEWSFLOW_HOME=/opt/airflow \
    PYTHONPATH=/opt/airflow/include
