"""Reads of the careers domain: the public pages (`public`), the recruiter's posting page
(`recruiter`), the candidate's status page (`status`), the timeline entries (`timeline`)."""
