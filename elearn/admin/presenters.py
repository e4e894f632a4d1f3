"""Display rows for admin tables."""

from elearn.auth.models import Invite


def format_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


def invite_rows(invites: list[Invite]) -> list[list[dict]]:
    return [
        [
            {"text": invite.cohort.name},
            {"text": invite.code},
            {"text": f"{invite.uses} of {invite.max_uses}"},
            {"text": format_date(invite.expires_at)},
        ]
        for invite in invites
    ]
