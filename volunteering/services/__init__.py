"""Writes of the volunteering app, one module per area. Every entry point (pages, admin, API,
commands, tasks) calls these functions; state changes go through `volunteering.workflows`."""
