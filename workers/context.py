"""An application context for jobs, whether they run in ``flask worker`` (context already pushed), in a plain
``rq worker`` (the app is built once per process, on the first job) or inline."""

from contextlib import contextmanager

from flask import has_app_context

_app = None


@contextmanager
def app_context():
    global _app
    if has_app_context():
        from app.extensions import db

        try:
            yield
        finally:
            db.session.remove()  # each job starts with a fresh session
        return
    if _app is None:
        from app import create_app

        _app = create_app()
    with _app.app_context():
        yield
