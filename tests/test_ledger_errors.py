"""The ledger's progress form refuses bad input with its message (found by tests/test_crawl.py:
the error summary joined lazy messages and answered 500)."""

from datetime import date, timedelta

from sqlalchemy import select

from models import Problem, db
from tests.factories import login, unit


def test_ledger_progress_with_control_characters_answers_400_and_says_why(app, ctx):
    lead = login(app.test_client(), app, "land_lead")
    lead.post("/staff/ledger", data={
        "unit": str(unit("land").id), "source": "inspection", "description": "窗口排队",
        "measures": "增设导办", "responsible": "陈静", "committed_on": (date.today() + timedelta(days=60)).isoformat()})
    problem = db.session.scalars(select(Problem)).one()
    response = lead.post(f"/staff/ledger/{problem.id}", data={
        "progress": "in_progress", "evidence": "a\x01b", "note": "c\x00d"})
    assert response.status_code == 400
    assert "含有不允许的控制字符（如空字符），请删除后再提交。" in response.get_data(as_text=True)
