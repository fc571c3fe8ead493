"""Forms organisers use for events, themes and accounts."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..i18n import LANGUAGES
from ..widgets import MultiCheckboxField


class EventForm(FlaskForm):
    title = StringField(
        _l("Event title"),
        validators=[
            DataRequired(_l("Give the event a title.")),
            Length(max=200, message=_l("Keep the title under 200 characters.")),
        ],
    )
    date = DateField(_l("Date"), validators=[Optional()], format="%Y-%m-%d")
    venue = StringField(
        _l("Venue"),
        validators=[
            Optional(),
            Length(max=200, message=_l("Keep the venue under 200 characters.")),
        ],
    )
    time_zone = StringField(
        _l("Time zone"),
        default="Europe/London",
        validators=[DataRequired(_l("Give the time zone, such as Europe/London."))],
    )
    language = SelectField(
        _l("Language of the event"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
        default="en",
    )


class ThemeForm(FlaskForm):
    title = StringField(
        _l("Theme title"),
        validators=[
            DataRequired(_l("Give the theme a title.")),
            Length(max=200, message=_l("Keep the title under 200 characters.")),
        ],
    )
    prompt = TextAreaField(
        _l("Question for the room"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Keep the question under 1,000 characters.")),
        ],
    )
    facilitators = MultiCheckboxField(_l("Facilitators"), coerce=int)
    names_required = BooleanField(_l("Ask everyone for their name"))
    approval_required = BooleanField(_l("Approve each note before it is shown"))
    votes_hidden = BooleanField(_l("Hide vote counts until you reveal them"))
    notes_private = BooleanField(_l("Write in silence: each phone sees only its own notes"))
    votes_per_participant = IntegerField(
        _l("Votes per participant"),
        validators=[
            InputRequired(_l("Enter how many votes each person has.")),
            NumberRange(0, 50, _l("Choose from 0 to 50 votes.")),
        ],
    )
    note_max_length = IntegerField(
        _l("Longest note, in characters"),
        validators=[
            InputRequired(_l("Enter the longest note allowed.")),
            NumberRange(20, 2000, _l("Choose from 20 to 2,000 characters.")),
        ],
    )


class ConfirmDeleteForm(FlaskForm):
    confirm = BooleanField(_l("Yes, delete it and everything in it"))


class AccountForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter the person's name.")), Length(max=120)]
    )
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter an email address.")), Length(max=254)],
    )
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice("facilitator", _l("Facilitator: runs the themes they are given")),
            SelectChoice("organiser", _l("Organiser: creates events and exports reports")),
        ],
    )
