"""Forms of the pipeline pages: they parse input; the rules live in hiring.services."""
