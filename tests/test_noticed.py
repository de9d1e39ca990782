"""What users noticed (issue 11 point 10): the section the citizen chose comes preselected,
history and confirmations name the section, the reopen form separates what the citizen reads
from the internal note, a reloaded receipt hides the code, /stats shows the bureau's totals,
and the audio captcha speaks Mandarin."""

import os
import re
import shutil
import wave
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from models import CaseEvent, Status, db, utcnow
from portal.abuse import captcha
from portal.abuse.captcha_audio import _frames
from portal.abuse.captcha_voices import complete, make_voices
from portal.services import intake, statistics
from portal.services.clock import local_date
from tests.appconfig import make_app
from tests.factories import act, form_data, login, make_case, receipt_codes, unit
from tests.test_board import drive


def _selected_unit(html, action):
    form = re.search(rf'action="/staff/cases/\d+/{action}".*?</form>', html, re.S).group(0)
    chosen = re.findall(r'<option selected value="(\d*)">([^<]*)</option>', form)
    return chosen, form


def test_accept_and_assign_preselect_the_section_the_citizen_chose(app, ctx):
    case, _ = make_case(target_unit_id=unit("land").id)
    office = login(app.test_client(), app, "office")
    html = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert _selected_unit(html, "accept")[0] == [(str(unit("land").id), "用地规划科")]
    handling_case, _ = make_case(target_unit_id=None, title="不确定科室的事项")
    html = office.get(f"/staff/cases/{handling_case.id}").get_data(as_text=True)
    # "Not sure": nothing is chosen for them; the form stays at "(do not assign)".
    assert _selected_unit(html, "accept")[0] == [("", "（不交办）")]
    drive(case, Status.RETURNED)
    html = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert _selected_unit(html, "assign")[0] == [(str(unit("land").id), "用地规划科")]


def test_a_report_never_preselects_the_section_it_accuses(app, ctx):
    case, _ = make_case(kind="report", target_unit_id=unit("land").id)
    office = login(app.test_client(), app, "office")
    html = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    chosen, form = _selected_unit(html, "accept")
    assert chosen == [("", "（不交办）")] and "用地规划科" not in form


def test_history_and_confirmation_name_the_section_assigned(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    assert act(office, case.id, "accept").status_code == 302
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "已受理，答复期限 2026-07-22。" in page
    assert act(office, case.id, "assign", unit=unit("land").id).status_code == 302
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "已分办至用地规划科。" in page
    assert re.search(r"<strong>交办</strong>至用地规划科", page)
    event = db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "assigned")).one()
    assert event.unit_id == unit("land").id
    handler = login(app.test_client(), app, "land_handler")
    act(handler, case.id, "sign")
    page = handler.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "已签收，承办人：用地规划科 刘洋。" in page and "已保存。" not in page


def test_english_confirmation_names_the_section_too(app, ctx):
    case, _ = make_case()
    office = login(app.test_client(), app, "office")
    office.get("/lang/en")
    act(office, case.id, "accept", unit=unit("land").id)
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "Accepted and assigned to Land-Use Planning Section." in page
    assert "Assign</strong> to Land-Use Planning Section" in page


def test_the_reopen_form_separates_the_citizen_s_reason_from_the_internal_note(app, ctx):
    case, code = make_case()
    drive(case, Status.RATED)
    office = login(app.test_client(), app, "office")
    html = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    form = re.search(r'action="/staff/cases/\d+/reopen".*?</form>', html, re.S).group(0)
    assert "重办说明（群众可见）" in form and "内部备注（群众看不到）" in form
    assert "这段说明会显示在群众的查询页面上，并发送到群众的邮箱。" in form
    response = act(office, case.id, "reopen", reason="已请科室再次到现场核实",
                   note="上次答复敷衍，科长亲自督办")
    assert response.status_code == 302
    page = office.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "已交回用地规划科重办，新的答复期限" in page
    citizen = app.test_client()
    citizen.post("/track", data={"number": case.number, "code": code})
    status = citizen.get(f"/track/{case.number}").get_data(as_text=True)
    assert "已请科室再次到现场核实" in status and "科长亲自督办" not in status
    event = db.session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.to_status == "reopened")).one()
    assert (event.public_note, event.note) == ("已请科室再次到现场核实", "上次答复敷衍，科长亲自督办")


def test_reopen_without_a_reason_is_refused_and_keeps_the_note(app, ctx):
    case, _ = make_case()
    drive(case, Status.RATED)
    office = login(app.test_client(), app, "office")
    response = act(office, case.id, "reopen", reason="", note="内部说明保留")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "请填写理由。" in html and "内部说明保留" in html
    assert db.session.get(type(case), case.id).status == "rated"


def test_a_reloaded_receipt_does_not_show_the_code_again(client, ctx):
    data = form_data(submission_key="reload-key-1234567890")
    number, code = receipt_codes(client.post("/file", data=data).get_data(as_text=True))
    assert number and code and len(code) == 12
    for _ in range(2):  # the browser's reload posts the same form again
        again = client.post("/file", data=data).get_data(as_text=True)
        assert receipt_codes(again) == (number, None) and code not in again
    # A browser that never got the first receipt (the page was lost) sees the code once.
    other = client.application.test_client()
    assert receipt_codes(other.post("/file", data=data).get_data(as_text=True)) == (number, code)
    assert intake.verify_lookup(number, code) is not None  # the code itself still works


def test_public_stats_show_bureau_total_overdue_per_section_and_unrouted(app, ctx):
    today = local_date(utcnow())
    now = utcnow()
    routed_late = make_case(now=now, title="已交办超期事项")[0]
    drive(routed_late, Status.ASSIGNED)
    routed_late.due_on = today - timedelta(days=3)
    routed_on_time = make_case(now=now, title="已交办未超期事项")[0]
    drive(routed_on_time, Status.ASSIGNED)
    routed_on_time.due_on = today + timedelta(days=30)
    waiting = make_case(now=now, title="待受理的事项")[0]
    waiting.due_on = today + timedelta(days=2)
    db.session.commit()
    html = app.test_client().get("/stats").get_data(as_text=True)
    assert re.search(r'id="bureau-received">3<', html)
    assert re.search(r'id="bureau-overdue">1<', html)
    assert re.search(r'id="bureau-unrouted">1<', html)
    row = re.search(r"<td>用地规划科</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row)[-1] == "1"
    row = re.search(r"<td>规划编制科</td>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", row)[-1] == "0"
    # The snapshot the cron command keeps carries the same figures.
    figures = statistics.refresh_public_stats(now=now)
    assert figures["bureau"] == {"received": 3, "overdue": 1, "unrouted": 1}
    assert statistics.current_public_stats(now=now).figures[unit("land").id]["overdue"] == 1


def test_public_stats_say_when_their_figures_were_computed(app, ctx):
    from models import StatsSnapshot
    from tests.crawler import english

    now = utcnow()
    # A snapshot the cron kept five minutes ago (whole minutes: the page shows minutes).
    kept_at = now.replace(second=0, microsecond=0) - timedelta(minutes=5)
    start, end = statistics.period(now)
    db.session.add(StatsSnapshot(period_start=start, period_end=end, computed_at=kept_at,
                                 figures={"bureau": {"received": 42, "overdue": 7, "unrouted": 3}}))
    db.session.commit()
    beijing = (kept_at + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")  # UTC+8, no DST
    html = app.test_client().get("/stats").get_data(as_text=True)
    assert re.search(r"<p class=\"muted\" data-as-of>([^<]*)</p>", html).group(1) == f"数据截至 {beijing}"
    assert re.search(r'id="bureau-received">42<', html) and re.search(r'id="bureau-overdue">7<', html)
    english_html = english(app.test_client()).get("/stats").get_data(as_text=True)
    assert re.search(r"<p class=\"muted\" data-as-of>([^<]*)</p>",
                     english_html).group(1) == f"Figures as of {beijing}"


def test_public_stats_computed_on_the_spot_are_as_of_that_instant(app, ctx):
    from tests.factories import NOW

    make_case()
    shown = statistics.current_public_stats(now=NOW)  # no snapshot: computed at NOW
    assert (shown.as_of, shown.live) == (NOW, False)
    assert shown.figures["bureau"] == {"received": 1, "overdue": 0, "unrouted": 1}


def test_a_returned_case_counts_as_not_routed(app, ctx):
    case = make_case()[0]
    drive(case, Status.RETURNED)
    figures = statistics.compute(date(2026, 1, 1), date(2026, 7, 1))
    assert figures["bureau"]["unrouted"] == 1


@pytest.fixture(scope="module")
def mandarin_voices(tmp_path_factory):
    if shutil.which("espeak-ng") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs espeak-ng (apt-get install espeak-ng)")
        pytest.skip("espeak-ng is not installed")
    return make_voices(tmp_path_factory.mktemp("voices"), captcha.ALPHABET)


def test_voices_are_made_for_every_character_in_the_captcha_format(mandarin_voices):
    assert sorted(p.name for p in mandarin_voices.iterdir()) == sorted(captcha.ALPHABET)
    with wave.open(str(mandarin_voices / "3" / "cmn.wav")) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 1, 8000)
        assert w.getnframes() > 2000  # "三" spoken, not silence
    assert complete(mandarin_voices, captcha.ALPHABET)
    assert not complete(mandarin_voices, captcha.ALPHABET + "Z")


def test_the_audio_captcha_speaks_from_the_mandarin_voices(mandarin_voices):
    served = make_app(CAPTCHA_VOICE_DIR=str(mandarin_voices))
    with served.test_request_context():
        voices = captcha.audio_voices()
        assert sorted(voices.clips) == sorted(captcha.ALPHABET)
        assert voices.clips["3"] == [_frames(mandarin_voices / "3" / "cmn.wav")]
        wav = captcha.audio_wav("3A")
    assert wav[:4] == b"RIFF" and len(wav) > 8000
    english = make_app(CAPTCHA_VOICE_DIR=str(mandarin_voices / "missing"))
    with english.test_request_context():
        english_voices = captcha.audio_voices().clips  # the logged fallback
        assert sorted(english_voices) == sorted("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_the_audio_captcha_is_served_as_wav(app, ctx, mandarin_voices):
    served = make_app(CAPTCHA_ENABLED=True, CAPTCHA_VOICE_DIR=str(mandarin_voices))
    client = served.test_client()
    html = client.get("/file").get_data(as_text=True)
    challenge = re.search(r'name="captcha_id" type="hidden" value="([^"]+)"', html).group(1)
    response = client.get(f"/captcha/{challenge}.wav")
    assert response.status_code == 200 and response.mimetype == "audio/wav"
    assert response.data[:4] == b"RIFF"
