"""The lab in the browser: a thin Starlette app over ``neuronlab.tour``.

``create_app()`` builds the ASGI app; ``serve()`` runs it with uvicorn on 127.0.0.1.
"""

from .app import create_app
from .server import DEFAULT_HOST, DEFAULT_PORT, serve, serve_in_thread

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "create_app", "serve", "serve_in_thread"]
