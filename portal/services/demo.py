"""Demo data: a planning bureau's real sections, the six topics and this year's campaign."""

import secrets
from datetime import date

from sqlalchemy import func, select

from models import Campaign, CampaignPhase, Role, StaffUser, Topic, Unit, db
from portal.services.transaction import rolls_back

UNITS = [
    ("bureau", "市规划局", "City Planning Bureau", False),
    ("office", "办公室", "General Office", True),
    ("compilation", "规划编制科", "Planning Compilation Section", True),
    ("land", "用地规划科", "Land-Use Planning Section", True),
    ("building", "建设工程规划科", "Building Project Planning Section", True),
    ("transport", "市政交通规划科", "Municipal and Transport Planning Section", True),
    ("inspection", "法规监察科", "Regulation and Inspection Section", True),
    ("survey", "测绘管理科", "Surveying and Mapping Section", True),
    ("info", "信息中心", "Information Centre", True),
]
TOPICS = [
    ("development", "服务发展", "Serving development"),
    ("livelihood", "服务民生", "Serving livelihoods"),
    ("grassroots", "服务基层", "Serving the grassroots"),
    ("enforcement", "执法水平", "Law-enforcement level"),
    ("style", "工作作风", "Work style"),
    ("other", "其他", "Other"),
]
STAFF = [
    ("admin", "系统管理员", Role.ADMIN, None),
    ("office", "评议办 王敏", Role.OFFICE, None),
    ("compilation_lead", "规划编制科 李强", Role.LEADER, "compilation"),
    ("compilation_handler", "规划编制科 张华", Role.HANDLER, "compilation"),
    ("land_lead", "用地规划科 陈静", Role.LEADER, "land"),
    ("land_handler", "用地规划科 刘洋", Role.HANDLER, "land"),
]


def campaign_for(year):
    """The plan's calendar: publicity in June, rectification to mid September, summary by the
    end of September, reports due on 20 September."""
    campaign = Campaign(
        year=year,
        title=f"{year}年度民主评议政风行风工作",
        starts_on=date(year, 6, 1),
        ends_on=date(year, 9, 30),
        report_due_on=date(year, 9, 20),
    )
    campaign.phases = [
        CampaignPhase(name="宣传发动", name_en="Publicity and mobilization",
                      starts_on=date(year, 6, 1), ends_on=date(year, 6, 20)),
        CampaignPhase(name="自查整改", name_en="Self-inspection and rectification",
                      starts_on=date(year, 6, 21), ends_on=date(year, 9, 15)),
        CampaignPhase(name="总结提高", name_en="Summary and improvement",
                      starts_on=date(year, 9, 16), ends_on=date(year, 9, 30)),
    ]
    return campaign


@rolls_back
def seed_demo(*, today):
    """Load the demo bureau once; return the new staff accounts with their passwords."""
    if db.session.scalar(select(func.count()).select_from(Unit)):
        return []
    units = {}
    for position, (code, name, name_en, appraised) in enumerate(UNITS):
        units[code] = Unit(code=code, name=name, name_en=name_en, position=position,
                           appraised=appraised, parent=units.get("bureau"))
        db.session.add(units[code])
    for position, (code, name, name_en) in enumerate(TOPICS):
        db.session.add(Topic(code=code, name=name, name_en=name_en, position=position))
    db.session.add(campaign_for(today.year))
    accounts = []
    for username, name, role, unit in STAFF:
        password = secrets.token_urlsafe(9)
        user = StaffUser(username=username, name=name, role=role.value, unit=units.get(unit),
                         email=f"{username}@bureau.example")
        user.set_password(password)
        db.session.add(user)
        accounts.append((username, role.value, password))
    db.session.commit()
    return accounts
