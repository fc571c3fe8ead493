"""The domain: one module per aggregate."""

from ._types import utcnow
from .event import Event, event_organisers
from .export_job import ExportJob, ExportStatus
from .note import Note, NoteKind, NoteStatus, Vote
from .participant import Participant
from .theme import Cluster, Phase, Theme, theme_facilitators
from .user import Role, User
from .writeup import Writeup, WriteupRevision, WriteupStatus

__all__ = [
    "Cluster",
    "Event",
    "ExportJob",
    "ExportStatus",
    "Note",
    "NoteKind",
    "NoteStatus",
    "Participant",
    "Phase",
    "Role",
    "Theme",
    "User",
    "Vote",
    "Writeup",
    "WriteupRevision",
    "WriteupStatus",
    "event_organisers",
    "theme_facilitators",
    "utcnow",
]
