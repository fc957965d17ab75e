"""The pipeline's page views, by topic: `requisitions` (and the board), `candidates` (the
list across requisitions), `candidate` (one candidate's page and its actions),
`candidate_add` (the add form and the CSV import), `resumes`."""
