"""The pipeline's version, recorded in every verdict."""

PIPELINE_VERSION = "0.1.0"
