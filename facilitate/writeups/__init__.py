"""The write-up editor: compile a draft from the notes, rewrite it, keep every revision, publish."""
