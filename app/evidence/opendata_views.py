"""Public open-data files (no login): the dataset as CSV and JSON, and its catalogue entry."""

from flask import Blueprint, Response

from app.errors import NotFound
from app.evidence.opendata import NAME, latest

bp = Blueprint("opendata", __name__)


def _snapshot():
    snap = latest()
    if snap is None:
        raise NotFound("opendata_not_ready")
    return snap


def _answer(body: str, mimetype: str, snap) -> Response:
    resp = Response(body, mimetype=mimetype)
    resp.headers["Last-Modified"] = snap.created_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    resp.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return resp


@bp.get(f"/open-data/{NAME}.json")
def dataset_json():
    snap = _snapshot()
    return _answer(snap.content_json, "application/json", snap)


@bp.get(f"/open-data/{NAME}.csv")
def dataset_csv():
    snap = _snapshot()
    resp = _answer(snap.content_csv, "text/csv; charset=utf-8", snap)
    resp.headers["Content-Disposition"] = f'inline; filename="{NAME}.csv"'
    return resp


@bp.get("/open-data/catalog.json")
def catalog_json():
    snap = _snapshot()
    return _answer(snap.catalog_json, "application/json", snap)
