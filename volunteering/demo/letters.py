"""Demo letters: the city's 《告全体在职党员信》, written by the city, approved through the city's
editorial workflow and sent to every demo member's inbox; found again by title on the next run
(nothing is duplicated)."""

from volunteering.letters.models import Letter
from volunteering.letters.sending import letter_fan_out
from volunteering.letters.services import letter_send

CITY_LETTER_TITLE = "告全体在职党员信"
CITY_LETTER_BODY = (
    "<p>全市广大在职党员同志们：</p>"
    "<p>为深入推进在职党员到社区报到、为群众服务工作，市委组织部决定，在全市开展"
    "“工作在单位、活动在社区、奉献双岗位”活动。现就有关事项告知如下：</p>"
    "<ol><li>请每位在职党员到居住地或单位挂钩联系的社区报到，亮明身份，登记特长。</li>"
    "<li>按照“社区所需，党员所长”的原则，从社区的服务菜单中认领服务项目、领取服务岗位。</li>"
    "<li>积极参加社区组织的志愿服务活动，每年参加社区活动不少于规定次数。</li></ol>"
    "<p>让我们以实际行动践行全心全意为人民服务的宗旨，让党旗在社区高高飘扬！</p>"
)
CITY_LETTER_SIGNATURE = "中共曲靖市委组织部"


def ensure_city_letter(city_user) -> Letter | None:
    """The city's letter to all members, sent once (inbox only: the demo sends no email)."""
    if city_user is None:
        return None
    letter = Letter.objects.filter(title=CITY_LETTER_TITLE, sender=Letter.Sender.CITY).first()
    if letter is None:
        letter = Letter.objects.create(
            title=CITY_LETTER_TITLE,
            body=CITY_LETTER_BODY,
            signature=CITY_LETTER_SIGNATURE,
            sender=Letter.Sender.CITY,
            audience=Letter.Audience.ALL,
            author=city_user,
            live=False,
        )
    if not letter.live:
        _approve(letter, city_user)
        letter.refresh_from_db()
    if letter.sent_at is None:
        letter_send(letter=letter, by=city_user)
        letter_fan_out(letter)  # at once: the demo is no request (the queued task finds it done)
    return letter


def _approve(letter: Letter, reviewer) -> None:
    """Through the city's workflow, every step approved by the demo's city (a superuser, who
    reviews every step)."""
    workflow = letter.get_workflow()
    if workflow is None:
        return
    if not letter.workflow_in_progress:
        letter.save_revision(user=reviewer)
        workflow.start(letter, reviewer)
    while (current := Letter.objects.get(pk=letter.pk)).workflow_in_progress:
        current.current_workflow_task_state.approve(user=reviewer)
