"""The volunteering part of the JSON API for mobile clients, mounted by `portal.api`: each
capability's router (communities, activities and sign-ups, reports), assembled here.

Every write calls the capability's services (which change state only through its workflow); the
routers only find the object, check that the user may see it and shape the answer. Objects a
user may not see answer 404, as if they did not exist; objects they may see but not act on answer
403 (raised by the workflow). Errors become JSON in one place, `portal.api`."""

from ninja import Router

from volunteering.activities.api import router as activities_router
from volunteering.communities.api import router as communities_router
from volunteering.reporting.api import router as reporting_router

router = Router()
router.add_router("", communities_router)
router.add_router("", activities_router)
router.add_router("", reporting_router)
