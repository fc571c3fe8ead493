"""The event report in six formats (Markdown, HTML, PDF, DOCX, CSV, JSON), all read from the one
report that ``report.build_report`` makes. ``formats.export`` is what the web and the CLI call."""
