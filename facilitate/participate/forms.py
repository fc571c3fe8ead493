"""The phone's note form: it works without JavaScript, through the same service as the socket."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length, Optional

#: The kinds of note, in people's words, by code.
KIND_NAMES = {
    "idea": _l("Idea"),
    "question": _l("Question"),
    "action": _l("Action"),
    "quote": _l("Quote"),
}
KINDS = [SelectChoice(kind, name) for kind, name in KIND_NAMES.items()]


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Your note"))
    kind = RadioField(_l("Kind of note"), choices=KINDS, default="idea")
    name = StringField(
        _l("Your name"),
        validators=[Optional(), Length(max=60, message=_l("A name can be up to 60 characters."))],
    )
    client_id = HiddenField()
