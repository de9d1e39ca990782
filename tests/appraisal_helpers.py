"""Helpers for the appraisal tests: a questionnaire made through the office's pages."""

import re

from sqlalchemy import select

from models import Invitation, Questionnaire, all_topics, db
from models.org import active_units
from tests.factories import login


def create_questionnaire(app, office=None, min_answers=2, public=False):
    office = office or login(app.test_client(), app, "office")
    units = [u.id for u in active_units() if u.appraised]
    data = {"title": "2026年度民主评议问卷", "intro": "请如实评价", "units": [str(u) for u in units],
            "weight_satisfied": "100", "weight_basically": "80", "weight_unsatisfied": "0",
            "min_answers": str(min_answers)}
    if public:
        data["public_link"] = "y"
    response = office.post("/staff/appraisal", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    qid = int(re.search(r"/staff/appraisal/(\d+)", response.headers["Location"]).group(1))
    return office, db.session.get(Questionnaire, qid)


def invitations(q):
    return db.session.scalars(select(Invitation).where(
        Invitation.questionnaire_id == q.id).order_by(Invitation.id)).all()


def answer_form(q, overall, per_topic=None, opinions=None):
    """Form data: ``overall`` and ``per_topic`` map unit id -> value (default dont_know)."""
    data = {}
    for unit in q.units:
        for topic in all_topics():
            data[f"r_{unit.id}_{topic.id}"] = (per_topic or {}).get(unit.id, "dont_know")
        data[f"r_{unit.id}_all"] = overall.get(unit.id, "dont_know")
        data[f"o_{unit.id}"] = (opinions or {}).get(unit.id, "")
    return data
