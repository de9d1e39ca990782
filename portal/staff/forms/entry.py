"""Manual entry of calls, letters, forums, visits and inspection findings by staff (登记)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from models import CHANNEL_LABELS, MANUAL_CHANNELS
from portal.abuse.form_filters import PlainDateField, no_control_chars
from portal.forms_common import CaseForm, optional_id


class EntryForm(CaseForm):
    """A case taken by phone, letter, forum, visit or inspection, typed in by staff."""

    channel = SelectField(
        _l("渠道"),
        choices=[SelectChoice(c.value, CHANNEL_LABELS[c]) for c in MANUAL_CHANNELS],
        validators=[InputRequired(_l("请选择渠道。"))],
    )
    address = StringField(_l("地址"), validators=[Length(max=200), no_control_chars])
    # Left empty, the case counts from today, as one typed in while the caller is on the line.
    received_on = PlainDateField(_l("收到日期"), validators=[Optional()])
    accept = BooleanField(_l("同时受理"))
    unit = SelectField(_l("并交办给"), coerce=optional_id, validators=[Optional()])

    def case_fields(self):
        return super().case_fields() | {"channel": self.channel.data,
                                        "address": self.address.data or ""}

    def validate_captcha(self, field):
        """Staff are signed in; the captcha guards only the public form."""
