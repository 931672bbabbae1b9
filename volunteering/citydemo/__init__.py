"""The report's whole city, in bulk, for `manage.py load_demo --scale` (docs/city-scale.md):
a face beside `demo`, run by `portal.demo.city`. Its own package because the demo package and
the city together pass the size rule's limit."""
