"""The Wagtail admin of the volunteering app (志愿服务): one scoped viewset per model, workflow
actions, the members import and the dashboard panel. Who sees what is decided in one place,
`volunteering.admin.policy`, on top of `volunteering.scopes`."""
