"""The phone's note form: it works without JavaScript, through the same service as the socket."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, Optional

KINDS = [SelectChoice(kind, kind.capitalize()) for kind in ("idea", "question", "action", "quote")]


class NoteForm(FlaskForm):
    text = TextAreaField("Your note")
    kind = RadioField("Kind of note", choices=KINDS, default="idea")
    name = StringField(
        "Your name",
        validators=[Optional(), Length(max=60, message="A name can be up to 60 characters.")],
    )
    client_id = HiddenField()
