"""Community scope: which communities' cases and tasks a user sees (outside them: "not found")."""

from engine.core.types import User


def scope(user: User) -> list[str] | None:
    """The communities the user works in; None for those who see all (supervisors, leaders, admins)."""
    return None if user.sees_all_communities else list(user.communities)
