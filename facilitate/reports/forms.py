"""The organiser's request for a report file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField

from ..exports.names import format_choices


class ExportForm(FlaskForm):
    format = SelectField(
        _l("Format"), choices=[SelectChoice(value, label) for value, label in format_choices()]
    )
