"""Downloads: case lists as CSV, questionnaire results as CSV and XLSX, self-assessment reports
as DOCX."""
