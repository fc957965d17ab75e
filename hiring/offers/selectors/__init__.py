"""Reads of offers: who sees which offer and the offer pages (offers), the offers in flight
and their clocks (flight), what waits for which approver and the voting pages (approvals).
The dashboard's statistics are in hiring.offers.dashboard."""
