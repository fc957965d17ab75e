"""Offer pages: offers in flight and the dashboard (flight), the offer form, the offer page
and its actions (offers), voting from the offer page, the home page or a signed e-mail link
(approvals). Each view parses its input, calls one service or selector and renders."""
