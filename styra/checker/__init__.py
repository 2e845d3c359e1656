"""Report checker: reads a committee report (text, PDF, DOCX) and finds numbers that do not
add up. Pure Python, no Django. Entry points: `api.check_file`, `cli.main`, `render`."""
