"""Forms of the write-up editor. Buttons that change something are forms too, for their CSRF
token and so that the editor works without JavaScript."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, TextAreaField
from wtforms.validators import Optional


class WriteupForm(FlaskForm):
    body = TextAreaField(_l("Write-up"))
    #: The revision the text was loaded from: a save after someone else's is refused, not lost.
    base_revision = IntegerField(validators=[Optional()])


class PublishForm(FlaskForm):
    show_citations = BooleanField(_l("Show the notes each paragraph cites"), default=True)


class CompileForm(FlaskForm):
    replace = HiddenField()


class ActionForm(FlaskForm):
    """A button with nothing to fill in."""
