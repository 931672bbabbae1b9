"""iCalendar feeds of activities: a community's (public) and a member's own sign-ups (private)."""
