"""A candidate's personal data: erasing it (on request, or when the retention period ends)
and exporting all of it (a subject-access request).

It sits above every domain, beside the home page: it reads and rewrites what each of them
stores about a person. Counts, stages, ratings, statuses and dates stay, so the reports
keep working; names, contact details and free text go.
"""
