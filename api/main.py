"""ASGI entry point: ``uvicorn api.main:app`` (``tiaojie serve``)."""

from api.app import create_app

app = create_app()
