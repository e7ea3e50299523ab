"""What else happens after a workflow step: the citizen is told of public steps, an assigned officer of their
case. Registered on :data:`app.cases.workflow.AFTER_STEP`, so the workflow does not know the channels."""

from app.cases.workflow import after_step
from app.channels import services as channels


@after_step
def tell_the_citizen(case, event, old_status) -> None:
    # internal notes and staff-only steps are filtered by ``notify_citizen`` itself (event.public)
    channels.notify_citizen(case, event)


@after_step
def tell_the_assignee(case, event, old_status) -> None:
    if event.kind == "assigned_officer":
        channels.notify_assignee(case, event)


@after_step
def invite_a_rating(case, event, old_status) -> None:
    # GECC asks for satisfaction: invite once the unit has decided (the tracking page invites anonymous ones)
    if event.kind in ("concluded", "not_concluded"):
        from app.csat.services import invite

        invite(case)
