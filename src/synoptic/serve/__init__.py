"""The newsroom view: a REST API and a web UI over the story store.

``create_app`` returns the FastAPI application (``synoptic serve`` runs it on uvicorn). Reads
serve the store's stories and cached briefs; ingest runs the CLI's stages and needs the API
token.
"""

from synoptic.serve.app import create_app

__all__ = ["create_app"]
