"""The domain: tables, the case state machine, working-day deadlines and rules.

Imports nothing from ``portal``; time always arrives as an argument.
"""

from models import case_search  # noqa: F401  (its DDL joins the case table's creation)
from models.api_key import ApiKey
from models.appraisal import Answer, Group, Invitation, Questionnaire, Response, Scale
from models.base import DomainError, FieldError, db, utcnow
from models.captcha_challenges import CaptchaChallenge
from models.case import (
    CHANNEL_LABELS,
    KIND_LABELS,
    MANUAL_CHANNELS,
    Attachment,
    Case,
    CaseCounter,
    CaseEvent,
    Channel,
    Kind,
    find_by_number,
)
from models.case_filing import next_number, write_new
from models.deadlines import CalendarOverride, TimeLimit, WorkCalendar, load_calendar, time_limits
from models.inspection import Finding, Inspection, SupervisorCode
from models.notices import Notice, NoticeAttachment
from models.org import (
    Campaign,
    CampaignPhase,
    Topic,
    Unit,
    active_units,
    all_topics,
    all_units,
    current_campaign,
)
from models.outbox import OutboxMessage, queue_mail
from models.publication import LetterLog, PublishedLetter
from models.questionnaire_draft import QuestionnaireDraft
from models.rectification import EvidenceFile, Problem, ProblemUpdate, Progress, Source
from models.reference_stamp import ReferenceStamp
from models.reply import RATING_LABELS, CannedReply, Rating, RatingValue, Reply
from models.report import ReportEvent, ReportStatus, SelfReport
from models.report_figures import StatsSnapshot
from models.staff import ROLE_LABELS, STAFF_ROLES, StaffUser, authenticate, find_staff
from models.workflow import InvalidTransition, Role, Status

__all__ = [
    "ApiKey",
    "ReferenceStamp",
    "LetterLog",
    "Notice",
    "NoticeAttachment",
    "PublishedLetter",
    "Answer",
    "QuestionnaireDraft",
    "Finding",
    "Inspection",
    "SupervisorCode",
    "Group",
    "Invitation",
    "EvidenceFile",
    "Problem",
    "ProblemUpdate",
    "Progress",
    "Questionnaire",
    "ReportEvent",
    "ReportStatus",
    "Response",
    "Scale",
    "SelfReport",
    "Source",
    "StatsSnapshot",
    "CHANNEL_LABELS",
    "KIND_LABELS",
    "MANUAL_CHANNELS",
    "ROLE_LABELS",
    "STAFF_ROLES",
    "Attachment",
    "CalendarOverride",
    "CannedReply",
    "OutboxMessage",
    "RATING_LABELS",
    "Rating",
    "RatingValue",
    "Reply",
    "TimeLimit",
    "queue_mail",
    "time_limits",
    "Campaign",
    "CampaignPhase",
    "CaptchaChallenge",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "Channel",
    "DomainError",
    "FieldError",
    "InvalidTransition",
    "Kind",
    "Role",
    "StaffUser",
    "Status",
    "Topic",
    "Unit",
    "WorkCalendar",
    "active_units",
    "all_topics",
    "all_units",
    "authenticate",
    "current_campaign",
    "db",
    "find_by_number",
    "find_staff",
    "load_calendar",
    "next_number",
    "write_new",
    "utcnow",
]
