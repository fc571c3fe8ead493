"""Forms organisers use for events, themes and accounts."""

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

from ..widgets import MultiCheckboxField


class EventForm(FlaskForm):
    title = StringField(
        "Event title",
        validators=[
            DataRequired("Give the event a title."),
            Length(max=200, message="Keep the title under 200 characters."),
        ],
    )
    date = DateField("Date", validators=[Optional()], format="%Y-%m-%d")
    venue = StringField(
        "Venue",
        validators=[Optional(), Length(max=200, message="Keep the venue under 200 characters.")],
    )
    time_zone = StringField(
        "Time zone",
        default="Europe/London",
        validators=[DataRequired("Give the time zone, such as Europe/London.")],
    )


class ThemeForm(FlaskForm):
    title = StringField(
        "Theme title",
        validators=[
            DataRequired("Give the theme a title."),
            Length(max=200, message="Keep the title under 200 characters."),
        ],
    )
    prompt = TextAreaField(
        "Question for the room",
        validators=[
            Optional(),
            Length(max=1000, message="Keep the question under 1,000 characters."),
        ],
    )
    facilitators = MultiCheckboxField("Facilitators", coerce=int)
    names_required = BooleanField("Ask everyone for their name")
    approval_required = BooleanField("Approve each note before it is shown")
    votes_hidden = BooleanField("Hide vote counts until you reveal them")
    notes_private = BooleanField("Write in silence: each phone sees only its own notes")
    votes_per_participant = IntegerField(
        "Votes per participant",
        validators=[
            InputRequired("Enter how many votes each person has."),
            NumberRange(0, 50, "Choose from 0 to 50 votes."),
        ],
    )
    note_max_length = IntegerField(
        "Longest note, in characters",
        validators=[
            InputRequired("Enter the longest note allowed."),
            NumberRange(20, 2000, "Choose from 20 to 2,000 characters."),
        ],
    )


class ConfirmDeleteForm(FlaskForm):
    confirm = BooleanField("Yes, delete it and everything in it")


class AccountForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired("Enter the person's name."), Length(max=120)]
    )
    email = EmailField(
        "Email address", validators=[DataRequired("Enter an email address."), Length(max=254)]
    )
    role = SelectField(
        "Role",
        choices=[
            SelectChoice("facilitator", "Facilitator: runs the themes they are given"),
            SelectChoice("organiser", "Organiser: creates events and exports reports"),
        ],
    )
