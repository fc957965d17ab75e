"""The careers pages: `public` (the careers page, a posting, applying, the feed, the
candidate's status page; no login) and `postings` (the recruiter's posting page)."""
