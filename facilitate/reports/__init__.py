"""Report downloads in six formats, and the public pages of published write-ups."""
