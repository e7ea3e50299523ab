"""The baseline for bench/intake.py: bare Flask + Flask-SQLAlchemy inserting one row per POST."""

import os

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
db = SQLAlchemy(app)


class BareRow(db.Model):
    __tablename__ = "bench_bare_rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(Text)


@app.post("/api/v1/complaints")
def insert():
    row = BareRow(body=request.get_json()["description"])
    db.session.add(row)
    db.session.commit()
    return {"id": row.id}, 201


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


def create_table() -> None:
    """Called once by the bench before gunicorn starts (workers racing on CREATE TABLE would crash)."""
    with app.app_context():
        db.create_all()
