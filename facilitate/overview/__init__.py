"""The organiser's live overview of an event, and the event's plenary report-out wall."""
