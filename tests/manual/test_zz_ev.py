from sqlalchemy import select
from app.cases.models import CaseEvent
from app.extensions import db
from tests.conftest import valid_complaint
def test_ev(client, ctx):
    assert client.post("/api/v1/complaints", json=valid_complaint()).status_code == 201
    print("EVENTS", [ (e.seq, e.kind) for e in db.session.scalars(select(CaseEvent).order_by(CaseEvent.seq))])
